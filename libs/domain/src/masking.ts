/** Masks an identifier for display, keeping the last `visible` characters. */
export function maskTail(value: string, visible = 4): string {
  if (value.length <= visible) return '*'.repeat(value.length);
  return `${'*'.repeat(Math.min(value.length - visible, 8))}${value.slice(-visible)}`;
}

/** `z***@example.com` */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  if (!local || !domain) return maskTail(email);
  return `${local[0]}***@${domain}`;
}

/** `138****5678` */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return maskTail(phone, 2);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
