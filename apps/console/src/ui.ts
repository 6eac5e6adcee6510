/** Pieces every page uses: error notices, busy buttons, links the router follows. */
import { ApiError } from './api.js';
import { h, replace } from './dom.js';

/** Shows a failure in `region` (a live region): the API's message and its correlation ID. */
export function showError(region: HTMLElement, err: unknown): void {
  const text =
    err instanceof ApiError
      ? err.describe()
      : `Something went wrong in the console: ${err instanceof Error ? err.message : String(err)}`;
  replace(region, h('p', { class: 'error' }, text));
}

export function clear(region: HTMLElement): void {
  replace(region);
}

/** A live region for a form's or a page's messages. */
export function messages(id: string): HTMLDivElement {
  return h('div', { id, class: 'messages', role: 'alert', 'aria-live': 'assertive' });
}

/**
 * Runs `action` with `button` disabled and marked busy; a failure goes to `region` and whatever
 * the form holds stays as typed.
 */
export async function busy(
  button: HTMLButtonElement,
  region: HTMLElement,
  action: () => Promise<void>,
): Promise<void> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  clear(region);
  try {
    await action();
  } catch (err) {
    showError(region, err);
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

let navigate: (url: string) => void = (url) => {
  window.location.assign(url);
};

export function setNavigator(fn: (url: string) => void): void {
  navigate = fn;
}

export function go(url: string): void {
  navigate(url);
}

/** A link inside the console: followed without reloading the page (the token lives in memory). */
export function link(
  href: string,
  text: string | Node,
  attrs: Record<string, string> = {},
): HTMLAnchorElement {
  return h(
    'a',
    {
      ...attrs,
      href,
      onclick: ((e: MouseEvent) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }) as EventListener,
    },
    text,
  );
}
