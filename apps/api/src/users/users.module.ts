import { Module } from '@nestjs/common';
import { CollaboratorInvitationsController, CollaboratorsController } from './collaborators.controller';
import { CollaboratorsService } from './collaborators.service';
import { MessageReceiversController } from './message-receivers.controller';
import { MessageReceiversService } from './message-receivers.service';
import { SubUserMfaService } from './sub-user-mfa.service';
import { SubUserSignInService } from './sub-user-sign-in.service';
import { SubUsersController } from './sub-users.controller';
import { SubUsersService } from './sub-users.service';
import { UserQuotaService } from './user-quota.service';

/** Users under a root account (ACC-9, ACC-10). `SubUsersService.isSubUserLogin` serves AS-1. */
@Module({
  controllers: [
    SubUsersController,
    CollaboratorsController,
    CollaboratorInvitationsController,
    MessageReceiversController,
  ],
  providers: [
    SubUsersService,
    SubUserSignInService,
    SubUserMfaService,
    CollaboratorsService,
    MessageReceiversService,
    UserQuotaService,
  ],
  exports: [SubUsersService],
})
export class UsersModule {}
