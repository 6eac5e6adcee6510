import { Module } from '@nestjs/common';
import { SecurityContactsController } from './security-contacts.controller';
import { SecurityContactsService } from './security-contacts.service';

@Module({ controllers: [SecurityContactsController], providers: [SecurityContactsService] })
export class SecurityContactsModule {}
