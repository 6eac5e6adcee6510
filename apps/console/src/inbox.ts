/** The inbox: GET /staff/review-tasks (filters, sorting, keyset pages) and the counts per queue. */
import { request } from './api.js';
import { append, h } from './dom.js';
import { relativeDue, title, words } from './format.js';
import { KINDS, OPEN_STATUSES, QUEUES, type QueueCounts, type StaffMe, type TaskPage } from './types.js';
import { go, link, messages, showError } from './ui.js';

const FILTERS = ['queue', 'kind', 'assigned', 'status', 'overdue', 'sort', 'order'] as const;

/** The view's settings from the URL, keeping only values the API knows. */
export function inboxQuery(params: URLSearchParams): URLSearchParams {
  const allowed: Record<(typeof FILTERS)[number], readonly string[]> = {
    queue: QUEUES,
    kind: KINDS,
    assigned: ['me', 'unassigned'],
    status: OPEN_STATUSES,
    overdue: ['1'],
    sort: ['due', 'priority', 'created'],
    order: ['asc', 'desc'],
  };
  const out = new URLSearchParams();
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value && allowed[name].includes(value)) out.set(name, value);
  }
  // The page size (the API's 1–100, 25 unless said) and the keyset cursor of the page shown.
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit >= 1 && limit <= 100 && limit !== 25) out.set('limit', String(limit));
  const cursor = params.get('cursor');
  if (cursor && cursor.length <= 400) out.set('cursor', cursor);
  return out;
}

/** The API's query for a view: overdue as the API judges it, by the server's clock. */
function apiQuery(view: URLSearchParams): string {
  const q = new URLSearchParams(view);
  if (q.get('overdue') === '1') q.set('overdue', 'true');
  if (!q.has('limit')) q.set('limit', '25');
  return q.toString();
}

/** The inbox URL last shown, for the case view's way back. */
let lastInbox = '/console/inbox';
export function inboxUrl(): string {
  return lastInbox;
}

function select(
  name: string,
  label: string,
  options: Array<[string, string]>,
  value: string | null,
): HTMLDivElement {
  const id = `filter-${name}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name },
      options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text)),
    ),
  );
}

export async function inboxPage(main: HTMLElement, params: URLSearchParams, me: StaffMe): Promise<void> {
  const view = inboxQuery(params);
  const shown = view.toString();
  lastInbox = `/console/inbox${shown ? `?${shown}` : ''}`;
  document.title = 'Inbox · Reviewer console';
  const errors = messages('inbox-errors');
  const countsBox = h('section', { 'aria-labelledby': 'counts-title', class: 'counts' });
  const results = h('section', { 'aria-labelledby': 'tasks-title' });
  main.append(h('h1', { tabindex: -1 }, 'Inbox'), errors, countsBox, filterForm(view), results);

  const [tasks, counts] = await Promise.allSettled([
    request<TaskPage>('GET', `/staff/review-tasks?${apiQuery(view)}`),
    request<QueueCounts>('GET', '/staff/review-tasks/counts'),
  ]);
  if (counts.status === 'fulfilled') countsBox.append(...countsView(counts.value));
  else showError(errors, counts.reason);
  if (tasks.status === 'fulfilled') append(results, table(tasks.value, view, me));
  else showError(errors, tasks.reason);
}

function countsView(counts: QueueCounts): Node[] {
  return [
    h('h2', { id: 'counts-title' }, 'Queues'),
    h(
      'ul',
      { class: 'queue-counts' },
      counts.queues.map((q) =>
        h(
          'li',
          { 'data-queue': q.queue },
          link(`/console/inbox?queue=${q.queue}`, words(q.queue)),
          `: ${q.open} open, ${q.unassigned} unassigned, ${q.overdue} overdue, ${q.mine} mine`,
        ),
      ),
    ),
  ];
}

function filterForm(view: URLSearchParams): HTMLFormElement {
  const any: [string, string] = ['', 'Any'];
  const overdue = h('input', {
    id: 'filter-overdue',
    name: 'overdue',
    type: 'checkbox',
    value: '1',
    checked: view.get('overdue') === '1',
  });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Filters and sorting' },
    select('queue', 'Queue', [any, ...QUEUES.map((q): [string, string] => [q, words(q)])], view.get('queue')),
    select('kind', 'Kind', [any, ...KINDS.map((k): [string, string] => [k, title(k)])], view.get('kind')),
    select('assigned', 'Assigned', [any, ['me', 'Mine'], ['unassigned', 'Unassigned']], view.get('assigned')),
    select(
      'status',
      'Status',
      [['', 'Every open status'], ...OPEN_STATUSES.map((s): [string, string] => [s, words(s)])],
      view.get('status'),
    ),
    h('div', { class: 'field checkbox' }, overdue, h('label', { for: overdue.id }, 'Overdue only')),
    select(
      'sort',
      'Sort by',
      [
        ['due', 'Due time'],
        ['priority', 'Priority'],
        ['created', 'Created'],
      ],
      view.get('sort') ?? 'due',
    ),
    select(
      'order',
      'Order',
      [
        ['asc', 'Ascending'],
        ['desc', 'Descending'],
      ],
      view.get('order') ?? 'asc',
    ),
    h('button', { type: 'submit' }, 'Apply filters'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string' && value) next.set(name, value);
    }
    // Defaults stay out of the URL; a new filter starts on the first page, of the same size.
    const limit = view.get('limit');
    if (limit) next.set('limit', limit);
    if (next.get('sort') === 'due') next.delete('sort');
    if (next.get('order') === 'asc') next.delete('order');
    const q = inboxQuery(next).toString();
    go(`/console/inbox${q ? `?${q}` : ''}`);
  });
  return form;
}

function table(page: TaskPage, view: URLSearchParams, me: StaffMe): Array<Node | null> {
  const heading = h('h2', { id: 'tasks-title' }, 'Tasks');
  if (page.items.length === 0) {
    return [heading, h('p', { class: 'empty' }, 'No task matches these filters.')];
  }
  const now = Date.now();
  const rows = page.items.map((t) =>
    h(
      'tr',
      { 'data-task-id': t.taskId },
      h('th', { scope: 'row' }, link(`/console/tasks/${t.taskId}`, title(t.kind))),
      h('td', {}, t.account ?? '—'),
      h('td', {}, String(t.priority)),
      h(
        'td',
        { class: t.overdue ? 'overdue' : null },
        h('time', { datetime: t.dueAt, title: t.dueAt }, relativeDue(t.dueAt, now, t.overdue)),
      ),
      h('td', {}, t.assigneeId === null ? 'unassigned' : t.assigneeId === me.staffId ? 'me' : t.assigneeId),
      h('td', {}, words(t.status), t.escalated ? ' (escalated)' : ''),
      h('td', {}, words(t.queue)),
    ),
  );
  const first = new URLSearchParams(view);
  first.delete('cursor');
  const nav: Node[] = [];
  if (view.get('cursor')) nav.push(link(`/console/inbox${first.size ? `?${first}` : ''}`, 'First page'));
  if (page.nextCursor) {
    const next = new URLSearchParams(view);
    next.set('cursor', page.nextCursor);
    nav.push(link(`/console/inbox?${next}`, 'Next page', { rel: 'next' }));
  }
  return [
    heading,
    h(
      'table',
      { class: 'tasks' },
      h('caption', {}, `${page.items.length} task${page.items.length === 1 ? '' : 's'} on this page`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Kind', 'Account', 'Priority', 'Due', 'Assignee', 'Status', 'Queue'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
    nav.length ? h('nav', { 'aria-label': 'Pages', class: 'pages' }, nav) : null,
  ];
}
