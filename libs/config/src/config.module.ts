import { Global, Module, type DynamicModule } from '@nestjs/common';
import { BusinessCalendar } from '../../domain/src/business-days';
import { CLOCK, SystemClock, type Clock } from '../../domain/src/clock';
import type { AppConfig } from './config';

export const APP_CONFIG = Symbol('AppConfig');

/** Provides the parsed configuration, the clock and the business calendar to a Nest app. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: BusinessCalendar, useValue: new BusinessCalendar(config.calendar.holidays) },
      ],
      exports: [APP_CONFIG, CLOCK, BusinessCalendar],
    };
  }
}
