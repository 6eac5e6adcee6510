import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The answers every endpoint that sends a verification code can give besides success. */
export const ApiCodeSendResponses = (): MethodDecorator =>
  applyDecorators(
    ApiResponse({
      status: 429,
      description: 'code_cooldown: one code per address and purpose every 60 s (Retry-After)',
    }),
    ApiResponse({
      status: 503,
      description:
        'notifier_unavailable: the mail or SMS system is down; nothing was kept, ask again after Retry-After',
    }),
  );

/** Added to the 400 description of endpoints that send a code to an address given in the body. */
export const DESTINATION_REFUSED_400 =
  'destination_refused on the address field: the mail system refused the address';
