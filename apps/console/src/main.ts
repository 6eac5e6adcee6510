/**
 * The reviewer console (issue 14): a page over the staff API, nothing else. Routes:
 *   /console/inbox?queue=&kind=&assigned=&status=&overdue=1&sort=&order=&cursor=
 *   /console/tasks/<taskId>
 * Everything that defines a view is in the URL, so a view can be shared and survives a new
 * sign-in; the token is in memory only (api.ts).
 */
import { currentStaff, onSessionExpired, signOut } from './api.js';
import { casePage } from './case.js';
import { byId, h, replace } from './dom.js';
import { inboxPage } from './inbox.js';
import { signInForm, signInPage } from './sign-in.js';
import { busy, link, messages, setNavigator } from './ui.js';

const BASE = '/console';

function main(): HTMLElement {
  return byId('main');
}

let generation = 0;

/** Renders the page the URL names. */
function route(focus = true): void {
  const el = main();
  generation += 1;
  const mine = generation;
  replace(el);
  renderNav();
  const me = currentStaff();
  if (!me) {
    document.title = 'Sign in · Reviewer console';
    signInPage(el, () => route());
    if (focus) focusHeading();
    return;
  }
  const path = window.location.pathname.replace(/\/+$/, '');
  const task = /^\/console\/tasks\/([0-9A-Za-z-]{1,64})$/.exec(path);
  const render = task
    ? casePage(el, task[1], me)
    : path === `${BASE}/inbox`
      ? inboxPage(el, new URLSearchParams(window.location.search), me)
      : null;
  if (!render) {
    window.history.replaceState(null, '', `${BASE}/inbox`);
    route(focus);
    return;
  }
  void render.then(() => {
    if (focus && mine === generation) focusHeading();
  });
}

function focusHeading(): void {
  main().querySelector<HTMLElement>('h1')?.focus();
}

function navigate(url: string): void {
  window.history.pushState(null, '', url);
  route();
}

function renderNav(): void {
  const nav = byId('nav');
  const me = currentStaff();
  if (!me) {
    replace(nav);
    return;
  }
  const errors = messages('nav-errors');
  const out = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
  out.addEventListener('click', () => {
    void busy(out, errors, async () => {
      await signOut();
      window.history.pushState(null, '', `${BASE}/`);
      route();
    });
  });
  replace(
    nav,
    h(
      'ul',
      {},
      h('li', {}, link(`${BASE}/inbox`, 'Inbox')),
      me.role !== 'reviewer'
        ? h(
            'li',
            {},
            link(
              `${BASE}/inbox?queue=senior-review&status=awaiting_second_approval`,
              'Waiting for a second approval',
            ),
          )
        : null,
    ),
    h('p', { class: 'who' }, `Signed in as ${me.email} (${me.role.replace('_', ' ')})`),
    out,
    errors,
  );
}

/** The dialog that asks for a new sign-in when the session has ended; the page stays as it was. */
function askAgain(): Promise<void> {
  return new Promise((resolve) => {
    const dialog = byId<HTMLDialogElement>('reauth');
    const email = currentStaff()?.email ?? '';
    replace(
      dialog,
      h('h2', { id: 'reauth-title' }, 'Your session has ended'),
      h(
        'p',
        { id: 'reauth-text' },
        'Sign in again to carry on: the page and what you typed stay as they are, and the action you started is sent again.',
      ),
      signInForm(
        'reauth',
        () => {
          dialog.close();
          renderNav();
          resolve();
        },
        email,
      ),
    );
    dialog.showModal();
    dialog.querySelector<HTMLInputElement>(email ? '#reauth-password' : '#reauth-email')?.focus();
  });
}

function start(): void {
  setNavigator(navigate);
  onSessionExpired(askAgain);
  // Escape does not close the sign-in dialog: the request waiting behind it needs a session.
  byId<HTMLDialogElement>('reauth').addEventListener('cancel', (e) => e.preventDefault());
  window.addEventListener('popstate', () => route());
  route(false);
}

start();
