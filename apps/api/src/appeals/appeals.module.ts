import { Module } from '@nestjs/common';
import { accountKeyringProvider, dataSecretBoxProvider } from '../common/data-box';
import { DocumentsModule } from '../documents/documents.module';
import { AppealsController } from './appeals.controller';
import { AppealsService } from './appeals.service';
import { CaseCallerGuard } from './case-caller.guard';

/** Manual appeals (issue 9 §3): the applicant's side. The staff work them in the review inbox. */
@Module({
  imports: [DocumentsModule],
  controllers: [AppealsController],
  providers: [AppealsService, CaseCallerGuard, dataSecretBoxProvider, accountKeyringProvider],
  exports: [AppealsService, DocumentsModule],
})
export class AppealsModule {}
