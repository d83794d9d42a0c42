import { Global, Module, type ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { KairosError } from './errors/kairos.error';
import { KairosValidationPipe } from './request/kairos-validation.pipe';
import { toFieldIssues, VALIDATOR_OPTIONS } from '@kairos/contracts';

/** The same validation rules everywhere: unknown fields rejected, errors naming the field. */
export function createValidationPipe(): ValidationPipe {
  return new KairosValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => KairosError.validation(toFieldIssues(errors)),
  });
}

/** Auth, validation and error mapping for every HTTP route of an app. Needs ConfigModule. */
@Global()
@Module({
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class KairosHttpModule {}
