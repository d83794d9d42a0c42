import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectConfig, type KairosConfig } from '@kairos/config';
import { PublicRoute } from '@kairos/http';
import { type FastifyReply } from 'fastify';
import { DemoEnabledGuard } from './demo-enabled.guard';

/** apps/recommender/public, from src/demo in the sources and from dist alike (the build copies it). */
export const DEMO_PUBLIC_DIR = resolve(__dirname, '../../public');

/**
 * The demo page: plain HTML, CSS and JS files served as they are (no build step at run time).
 * The page learns where to POST clicks from a meta tag; its Content-Security-Policy allows
 * exactly that origin besides its own.
 */
@ApiExcludeController()
@PublicRoute()
@UseGuards(DemoEnabledGuard)
@Controller()
export class DemoPageController {
  private readonly files = new Map<string, string>();

  constructor(@InjectConfig() private readonly config: KairosConfig) {}

  @Get()
  page(@Res({ passthrough: true }) response: FastifyReply): string {
    const ingest = this.config.demo.ingestUrl;
    response.header('Content-Type', 'text/html; charset=utf-8');
    response.header('Cache-Control', 'no-cache');
    response.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `connect-src 'self'${ingest === null ? '' : ` ${ingest}`}`,
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
      ].join('; '),
    );
    return this.file('index.html').replace('{{INGEST_URL}}', escapeAttribute(ingest ?? ''));
  }

  @Get('demo/demo.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.file('demo.js');
  }

  @Get('demo/demo.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.file('demo.css');
  }

  /** Read once; a missing file is a broken build (`npm run build` copies public/ into dist). */
  private file(name: string): string {
    let content = this.files.get(name);
    if (content === undefined) {
      content = readFileSync(resolve(DEMO_PUBLIC_DIR, name), 'utf8');
      this.files.set(name, content);
    }
    return content;
  }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
