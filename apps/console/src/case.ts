/**
 * The case view (GET /staff/review-tasks/<taskId>): what the applicant sent (masked by the API),
 * the documents inline, the checks, the audit trail, and the actions the API says this staff
 * member may take now (`allowed`). Every action goes to the staff API; a refusal is shown with
 * its correlation ID and the form keeps what was typed.
 */
import { idempotencyKey, request } from './api.js';
import { h, replace } from './dom.js';
import { bytes, dateTime, relativeDue, title, words } from './format.js';
import { inboxUrl } from './inbox.js';
import type { CaseView, DocumentSummary, StaffMe, TaskSummary } from './types.js';
import { busy, link, messages, showError } from './ui.js';

/** Object URLs of the documents shown, released when the page changes. */
const objectUrls: string[] = [];

export async function casePage(main: HTMLElement, taskId: string, me: StaffMe): Promise<void> {
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  document.title = 'Case · Reviewer console';
  const heading = h('h1', { tabindex: -1 }, 'Case');
  const errors = messages('case-errors');
  const status = h('div', { id: 'case-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'case' });
  main.append(link(inboxUrl(), '← Back to the inbox', { class: 'back' }), heading, errors, status, body);

  const path = `/staff/review-tasks/${encodeURIComponent(taskId)}`;

  const render = (v: CaseView): void => {
    replace(heading, title(v.task.kind));
    document.title = `${title(v.task.kind)} · Reviewer console`;
    replace(
      body,
      summary(v, me),
      fourEyes(v, me),
      section('applicant', 'What the applicant sent', detailList(v.case.details)),
      section('checks', 'Checks', checksView(v.case.checks)),
      section('documents', 'Documents', documentsView(v, path)),
      section('actions', 'Actions', actions(v, me, path, act)),
      section('audit', 'Audit trail', auditTrail(v)),
    );
  };

  /** Runs an action; on success shows what happened and the case as it now is. */
  const act = async (done: string, action: () => Promise<CaseView | TaskSummary>): Promise<void> => {
    const result = await action();
    const next = 'case' in result ? result : await request<CaseView>('GET', path);
    replace(status, h('p', {}, done));
    render(next);
  };

  try {
    render(await request<CaseView>('GET', path));
  } catch (err) {
    showError(errors, err);
  }
}

function section(id: string, title: string, ...content: Node[]): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': `${id}-title`, class: id },
    h('h2', { id: `${id}-title` }, title),
    content,
  );
}

function who(staffId: string | null, me: StaffMe): string {
  if (staffId === null) return 'unassigned';
  return staffId === me.staffId ? `me (${staffId})` : staffId;
}

function summary(v: CaseView, me: StaffMe): HTMLElement {
  const t = v.task;
  const rows: Array<[string, Node | string]> = [
    ['Case', v.case.caseId],
    ['Task', t.taskId],
    ['Account', v.case.account],
    ['Applicant', v.case.applicant === 'session' ? 'signed in' : 'proved a contact by a code'],
    ['Task status', words(t.status) + (t.escalated ? ' (escalated)' : '')],
    ['Case status', words(v.case.status)],
    ['Queue', words(t.queue)],
    ['Priority', String(t.priority)],
    [
      'Due',
      h(
        'span',
        { class: t.overdue ? 'overdue' : null },
        h('time', { datetime: t.dueAt }, relativeDue(t.dueAt, Date.now(), t.overdue)),
        ` (${dateTime(t.dueAt)})`,
      ),
    ],
    ['Assignee', who(t.assigneeId, me)],
  ];
  if (v.informationDueAt) rows.push(['Applicant must answer by', dateTime(v.informationDueAt)]);
  if (v.finalDecision) {
    const f = v.finalDecision;
    rows.push([
      'Decision',
      `${f.decision} (${words(f.reasonCode)}) by ${who(f.decidedBy, me)}` +
        (f.approvedBy ? `, second approval by ${who(f.approvedBy, me)}` : ''),
    ]);
  }
  return h(
    'dl',
    { class: 'summary' },
    rows.flatMap(([k, value]) => [h('dt', {}, k), h('dd', {}, value)]),
  );
}

/** Four eyes (issue 9): who gave the first approval, and that they cannot give the second. */
function fourEyes(v: CaseView, me: StaffMe): HTMLElement | null {
  const first = v.firstDecision;
  if (!first || v.task.status !== 'awaiting_second_approval') return null;
  const mine = first.staffId === me.staffId;
  return h(
    'div',
    { class: mine ? 'notice own-approval' : 'notice', id: 'four-eyes' },
    h(
      'p',
      {},
      `First approval (${words(first.reasonCode)}) by ${who(first.staffId, me)}; a second senior reviewer must approve before it is applied.`,
    ),
    mine
      ? h(
          'p',
          { class: 'strong' },
          'You gave the first approval, so you cannot give the second: another senior reviewer decides.',
        )
      : null,
  );
}

/** What the applicant sent, nested as it came; the API has already masked it. */
function detailList(value: unknown): Node {
  if (value === null || value === undefined) return document.createTextNode('—');
  if (Array.isArray(value)) {
    if (value.length === 0) return document.createTextNode('none');
    return h(
      'ul',
      {},
      value.map((v) => h('li', {}, detailList(v))),
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return document.createTextNode('nothing');
    return h(
      'dl',
      { class: 'details' },
      entries.flatMap(([k, v]) => [h('dt', {}, words(k)), h('dd', {}, detailList(v))]),
    );
  }
  return document.createTextNode(
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value),
  );
}

const VERDICTS: Record<string, string> = {
  match: 'match',
  mismatch: 'mismatch',
  no_record: 'no real-name record to compare',
};

/** The checks: an identity field is a match, a mismatch or has nothing to compare with. */
function checksView(checks: Record<string, unknown>): Node {
  if (Object.keys(checks).length === 0) return h('p', {}, 'No checks for this case.');
  const identity = checks['identity'];
  const rest = Object.fromEntries(Object.entries(checks).filter(([k]) => k !== 'identity'));
  const parts: Node[] = [];
  if (identity && typeof identity === 'object') {
    parts.push(
      h('h3', {}, 'Identity check'),
      h(
        'ul',
        { class: 'identity-check' },
        Object.entries(identity as Record<string, unknown>).map(([field, verdict]) => {
          const v = String(verdict);
          return h(
            'li',
            { 'data-field': field },
            `${words(field)}: `,
            h('strong', { class: `verdict ${v.replace(/_/g, '-')}` }, VERDICTS[v] ?? words(v)),
          );
        }),
      ),
    );
  }
  if (Object.keys(rest).length) parts.push(detailList(rest));
  return h('div', {}, parts);
}

function documentsView(v: CaseView, path: string): Node {
  const docs = v.case.documents;
  if (docs.length === 0) return h('p', {}, 'No documents.');
  const errors = messages('document-errors');
  const viewer = h('div', { class: 'viewer', id: 'document-viewer' });
  const open = (d: DocumentSummary, button: HTMLButtonElement): void => {
    void busy(button, errors, async () => {
      const blob = await request<Blob>(
        'GET',
        `${path}/documents/${encodeURIComponent(d.documentId)}`,
        undefined,
        { blob: true },
      );
      const url = URL.createObjectURL(new Blob([blob], { type: d.contentType }));
      objectUrls.push(url);
      const caption = `Document ${words(d.label)}`;
      replace(
        viewer,
        h('h3', {}, caption),
        d.contentType === 'application/pdf'
          ? h('iframe', { src: url, title: caption, class: 'pdf' })
          : h('img', { src: url, alt: `${caption} as the applicant sent it` }),
        h(
          'p',
          {},
          h('a', { href: url, target: '_blank', rel: 'noopener' }, `Open ${words(d.label)} in a new tab`),
        ),
      );
    });
  };
  return h(
    'div',
    {},
    h(
      'ul',
      { class: 'documents' },
      docs.map((d) => {
        const button = h('button', { type: 'button', class: 'secondary' }, `Open ${words(d.label)}`);
        button.addEventListener('click', () => open(d, button));
        return h(
          'li',
          { 'data-document-id': d.documentId },
          `${words(d.label)}: ${d.contentType}, ${bytes(d.sizeBytes)}, sent ${dateTime(d.uploadedAt)} `,
          button,
        );
      }),
    ),
    errors,
    viewer,
  );
}

type Act = (done: string, action: () => Promise<CaseView | TaskSummary>) => Promise<void>;

function actions(v: CaseView, me: StaffMe, path: string, act: Act): Node {
  const a = v.allowed;
  const parts: Node[] = [];
  const errors = messages('action-errors');
  const buttons: Node[] = [];
  const simple = (label: string, action: 'claim' | 'release', done: string): void => {
    const key = idempotencyKey();
    const b = h('button', { type: 'button', id: `action-${action}` }, label);
    b.addEventListener('click', () => {
      void busy(b, errors, () =>
        act(done, () =>
          request<TaskSummary>('POST', `${path}/${action}`, undefined, { idempotencyKey: key }),
        ),
      );
    });
    buttons.push(b);
  };
  if (a.claim) simple('Claim', 'claim', 'You claimed the task.');
  if (a.release) simple('Release', 'release', 'You released the task back to its queue.');
  if (buttons.length) parts.push(h('div', { class: 'buttons' }, buttons), errors);
  if (!a.claim && !a.decide && v.task.assigneeId === null && v.firstDecision?.staffId === me.staffId) {
    parts.push(h('p', {}, 'You cannot claim this task: you gave its first approval.'));
  }
  if (a.decide) parts.push(decisionForm(v, path, act));
  if (a.requestInformation)
    parts.push(
      noteForm(
        'information',
        'Request information from the applicant',
        'What the applicant must send',
        'Send the request',
        (text, key) =>
          act('The applicant was asked for more information.', () =>
            request<TaskSummary>(
              'POST',
              `${path}/information-requests`,
              { message: text },
              { idempotencyKey: key },
            ),
          ),
      ),
    );
  if (a.comment)
    parts.push(
      noteForm(
        'comment',
        'Comment',
        'Comment (staff only; the applicant does not see it)',
        'Add the comment',
        (text, key) =>
          act('Your comment is in the audit trail.', () =>
            request<CaseView>('POST', `${path}/comments`, { body: text }, { idempotencyKey: key }),
          ),
      ),
    );
  if (a.reassign) parts.push(reassignForm(path, act));
  if (parts.length === 0) parts.push(h('p', {}, 'Nothing to do on this task for you now.'));
  return h('div', {}, parts);
}

function decisionForm(v: CaseView, path: string, act: Act): HTMLFormElement {
  const errors = messages('decision-errors');
  let key = idempotencyKey();
  const reason = h('select', { id: 'decision-reason', name: 'reasonCode', required: true });
  const fillReasons = (decision: 'approve' | 'reject'): void => {
    replace(
      reason,
      v.reasons[decision].map((r) => h('option', { value: r }, words(r))),
    );
  };
  const radio = (value: 'approve' | 'reject', label: string): HTMLElement => {
    const input = h('input', {
      type: 'radio',
      name: 'decision',
      id: `decision-${value}`,
      value,
      checked: value === 'approve',
    });
    input.addEventListener('change', () => fillReasons(value));
    return h('div', { class: 'radio' }, input, h('label', { for: input.id }, label));
  };
  fillReasons('approve');
  const note = h('textarea', { id: 'decision-note', name: 'note', maxlength: 2000, rows: 3 });
  const submit = h('button', { type: 'submit' }, 'Record the decision');
  const form = h(
    'form',
    { class: 'decision', 'aria-labelledby': 'decision-title' },
    h('h3', { id: 'decision-title' }, 'Decision'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Decision'),
      radio(
        'approve',
        v.task.status === 'awaiting_second_approval' ? 'Approve (second approval)' : 'Approve',
      ),
      radio('reject', 'Reject'),
    ),
    h('div', { class: 'field' }, h('label', { for: reason.id }, 'Reason'), reason),
    h('div', { class: 'field' }, h('label', { for: note.id }, 'Note for the audit trail (optional)'), note),
    errors,
    submit,
  );
  // A changed decision is a new action (a new idempotency key); a retry of the same one is not.
  form.addEventListener('change', () => {
    key = idempotencyKey();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const decision = (new FormData(form).get('decision') as 'approve' | 'reject' | null) ?? 'approve';
    const text = note.value.trim();
    void busy(submit, errors, () =>
      act(`Decision recorded: ${decision} (${words(reason.value)}).`, () =>
        request<TaskSummary>(
          'POST',
          `${path}/decision`,
          { decision, reasonCode: reason.value, ...(text ? { note: text } : {}) },
          { idempotencyKey: key },
        ),
      ),
    );
  });
  return form;
}

function noteForm(
  id: string,
  title: string,
  label: string,
  button: string,
  send: (text: string, key: string) => Promise<void>,
): HTMLFormElement {
  const errors = messages(`${id}-errors`);
  let key = idempotencyKey();
  const text = h('textarea', { id: `${id}-text`, name: id, required: true, maxlength: 2000, rows: 3 });
  const submit = h('button', { type: 'submit' }, button);
  const form = h(
    'form',
    { class: `note ${id}`, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('div', { class: 'field' }, h('label', { for: text.id }, label), text),
    errors,
    submit,
  );
  text.addEventListener('input', () => {
    key = idempotencyKey();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void busy(submit, errors, () => send(text.value, key));
  });
  return form;
}

function reassignForm(path: string, act: Act): HTMLFormElement {
  const errors = messages('reassign-errors');
  const input = h('input', {
    id: 'reassign-to',
    name: 'assigneeId',
    type: 'text',
    pattern: '[0-9A-Za-z]{26}',
    'aria-describedby': 'reassign-hint',
  });
  const submit = h('button', { type: 'submit', class: 'secondary' }, 'Reassign');
  const form = h(
    'form',
    { class: 'reassign', 'aria-labelledby': 'reassign-title' },
    h('h3', { id: 'reassign-title' }, 'Reassign'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: input.id }, 'Staff ID of the new assignee'),
      input,
      h('p', { id: 'reassign-hint', class: 'hint' }, 'Leave empty to put the task back in its queue.'),
    ),
    errors,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = input.value.trim() || null;
    void busy(submit, errors, () =>
      act(to ? `The task was given to ${to}.` : 'The task is back in its queue.', () =>
        request<TaskSummary>('POST', `${path}/reassign`, { assigneeId: to }),
      ),
    );
  });
  return form;
}

function auditTrail(v: CaseView): Node {
  if (v.events.length === 0) return h('p', {}, 'Nothing yet.');
  return h(
    'table',
    { class: 'audit' },
    h('caption', {}, 'Every action on the case, oldest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['When', 'Who', 'What', 'Note', 'Detail'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      v.events.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, h('time', { datetime: e.at }, dateTime(e.at))),
          h('td', {}, e.actor),
          h('td', {}, words(e.type)),
          h('td', {}, e.note ?? ''),
          h('td', {}, e.detail ? detailList(e.detail) : ''),
        ),
      ),
    ),
  );
}
