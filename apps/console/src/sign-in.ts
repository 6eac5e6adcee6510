/** Staff sign-in: email, password and a current TOTP code (POST /staff/sessions). */
import { signIn } from './api.js';
import { h } from './dom.js';
import { busy, messages } from './ui.js';

/**
 * A sign-in form; `done` runs after a successful sign-in. What was typed stays when the API
 * refuses (only the code is cleared: a TOTP code is good once).
 */
export function signInForm(prefix: string, done: () => void, email = ''): HTMLFormElement {
  const errors = messages(`${prefix}-errors`);
  const emailInput = h('input', {
    id: `${prefix}-email`,
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
    maxlength: 254,
    value: email,
  });
  const password = h('input', {
    id: `${prefix}-password`,
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 128,
  });
  const code = h('input', {
    id: `${prefix}-code`,
    name: 'code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{6}',
    required: true,
    maxlength: 6,
    'aria-describedby': `${prefix}-code-hint`,
  });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: emailInput.id }, 'Email'), emailInput),
    h('div', { class: 'field' }, h('label', { for: password.id }, 'Password'), password),
    h(
      'div',
      { class: 'field' },
      h('label', { for: code.id }, 'Authenticator code'),
      code,
      h('p', { id: `${prefix}-code-hint`, class: 'hint' }, 'The 6 digits your authenticator app shows now.'),
    ),
    errors,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void busy(submit, errors, async () => {
      try {
        await signIn(emailInput.value, password.value, code.value.trim());
      } catch (err) {
        code.value = '';
        code.focus();
        throw err;
      }
      done();
    });
  });
  return form;
}

export function signInPage(main: HTMLElement, done: () => void): void {
  main.append(
    h('h1', { tabindex: -1 }, 'Reviewer console'),
    h('p', {}, 'Sign in with your staff email, password and authenticator code.'),
    signInForm('sign-in', done),
  );
}
