/**
 * The reference server of bench/recommender/get: a bare NestJS app on the same platform as ours
 * (Fastify, default options) with one GET route and nothing else (no guards, pipes, hooks,
 * metrics or logging). Whatever the recommender's GET costs beyond this is ours.
 *
 *   node -r ts-node/register/transpile-only bench/recommender/hello/hello.main.ts  (PORT=...)
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

@Controller()
class HelloController {
  @Get('hello/:userId')
  hello(@Param('userId') userId: string): { userId: string; hello: string } {
    return { userId, hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
}

void main();
