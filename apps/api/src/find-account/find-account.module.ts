import { Module } from '@nestjs/common';
import { FindAccountController } from './find-account.controller';
import { FindAccountService } from './find-account.service';
import { dataSecretBoxProvider } from '../common/data-box';
import { RateLimiter } from './rate-limiter.service';

@Module({
  controllers: [FindAccountController],
  providers: [FindAccountService, RateLimiter, dataSecretBoxProvider],
})
export class FindAccountModule {}
