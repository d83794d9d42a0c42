import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AppDefinition } from './bootstrap-app';

/** OpenAPI document at /docs (UI) and /docs-json, with Bearer auth declared. */
export function setupOpenApi(app: INestApplication, definition: AppDefinition): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Kairos ${definition.name}`)
      .setDescription(definition.description)
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'API key from KAIROS_API_KEYS',
      })
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
