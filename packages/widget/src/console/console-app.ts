import { ContextProvider } from '@lit/context';
import { css, html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import {
  CSRF_HEADER,
  type BanRecord,
  type Bans,
  type Deliveries,
  type Delivery,
  type ModerationAction,
  type ModerationItem,
  type ModerationLog,
  type ModerationLogEntry,
  type ModerationPage,
  type ModerationResults,
  type CreatedModerator,
  type Moderator,
  type ModeratorSession,
  type Moderators,
  type Problem,
  type Topic,
  type TopicSource,
} from '@colloquy/api';
import { topicStoreContext } from '../store/context.js';
import { TopicStore } from '../store/topic-store.js';

type View = 'queue' | 'bans' | 'log' | 'deliveries' | 'topics' | 'moderators';
const VIEWS: Array<[View, string]> = [
  ['queue', 'Queues'],
  ['bans', 'Bans'],
  ['log', 'Moderation log'],
  ['deliveries', 'Webhook deliveries'],
  ['topics', 'Topics'],
  ['moderators', 'Moderators'],
];
const ACTIONS: Array<[ModerationAction, string]> = [
  ['approve', 'Approve'],
  ['hide', 'Hide'],
  ['delete', 'Delete'],
  ['restore', 'Restore'],
];

/** A refusal of the API, shown as the problem's detail. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const field = (form: HTMLFormElement, name: string): string =>
  ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();

/**
 * @tagname colloquy-console
 * @summary The moderation console: sign-in, the queues with filters and search, actions on one
 * or many replies, bans and their lifting, topic locks and edits with a preview by the real
 * elements, the moderation log and the webhook delivery log, updated live.
 *
 * Everything it shows comes from the admin API as JSON and is rendered by Lit templates as
 * text; nothing is ever inserted as HTML.
 */
export class ColloquyConsole extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font: 16px/1.5 system-ui, sans-serif;
      color: #1a1a1a;
      background: #fff;
      max-width: 72rem;
      margin: 0 auto;
      padding: 1rem;
    }
    header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
    nav ul { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.5rem 0; }
    button { font: inherit; padding: 0.25rem 0.75rem; border: 1px solid #44506a; border-radius: 4px; background: #f3f4f8; color: #1a1a1a; cursor: pointer; }
    button[aria-current='page'] { background: #1f3a93; color: #fff; }
    button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #1f3a93; outline-offset: 2px; }
    label { display: inline-flex; flex-direction: column; font-size: 0.9rem; gap: 0.1rem; }
    input, select, textarea { font: inherit; padding: 0.25rem; border: 1px solid #5a6275; border-radius: 4px; }
    form.filters, form.row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0; }
    ul.items { list-style: none; padding: 0; }
    ul.items > li { border: 1px solid #c9cdd8; border-radius: 6px; padding: 0.75rem; margin: 0.5rem 0; }
    .meta { color: #4a4f5c; font-size: 0.9rem; }
    .text { white-space: pre-wrap; margin: 0.5rem 0; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .error { color: #a4001b; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: start; border-bottom: 1px solid #c9cdd8; padding: 0.25rem 0.5rem; vertical-align: top; }
    .preview { border: 1px dashed #5a6275; padding: 0.5rem; margin-top: 1rem; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  static override properties: PropertyDeclarations = {
    session: { state: true },
    view: { state: true },
    items: { state: true },
    nextCursor: { state: true },
    selected: { state: true },
    bans: { state: true },
    log: { state: true },
    logCursor: { state: true },
    deliveries: { state: true },
    message: { state: true },
    error: { state: true },
    loading: { state: true },
    preview: { state: true },
    moderators: { state: true },
    newToken: { state: true },
  };

  declare session: ModeratorSession | null | undefined;
  declare view: View;
  declare items: ModerationItem[];
  declare nextCursor: string | null;
  declare selected: Set<string>;
  declare bans: BanRecord[];
  declare log: ModerationLogEntry[];
  declare logCursor: string | null;
  declare deliveries: Delivery[];
  declare message: string;
  declare error: string;
  declare loading: boolean;
  declare preview: Topic | null;
  declare moderators: Moderator[];
  /** A moderator's token just made, shown once. */
  declare newToken: CreatedModerator | null;

  #filters = new URLSearchParams({ queue: 'pending' });
  #live: EventSource | null = null;
  readonly #previewStore = new TopicStore(location.origin, 'preview');

  constructor() {
    super();
    this.session = undefined;
    this.view = 'queue';
    this.items = [];
    this.nextCursor = null;
    this.selected = new Set();
    this.bans = [];
    this.log = [];
    this.logCursor = null;
    this.deliveries = [];
    this.message = '';
    this.error = '';
    this.loading = false;
    this.preview = null;
    this.moderators = [];
    this.newToken = null;
    // The preview's topic comes from the form, not from a read: the store never loads.
    this.#previewStore.state = 'loading';
    new ContextProvider(this, { context: topicStoreContext, initialValue: this.#previewStore });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#live?.close();
    this.#live = null;
  }

  async #api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.session) headers[CSRF_HEADER] = this.session.csrfToken;
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      if (res.status === 401 && this.session) this.#signedOut('Your session ended; sign in again.');
      throw new ApiError(
        res.status,
        (data as Problem | null)?.detail ?? `The server answered ${res.status}.`,
      );
    }
    return data as T;
  }

  /** Runs an action, showing what came of it in the status line or the error line. */
  async #run(work: () => Promise<string | undefined>): Promise<void> {
    this.error = '';
    this.loading = true;
    try {
      const done = await work();
      if (done) this.message = done;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  async #resume(): Promise<void> {
    try {
      this.session = await this.#api<ModeratorSession>('GET', '/api/v1/console/session');
      this.#signedIn();
    } catch {
      this.session = null;
    }
  }

  #signedIn(): void {
    this.#live?.close();
    this.#live = new EventSource('/api/v1/admin/stream');
    this.#live.addEventListener('queue', () => {
      if (this.view === 'queue') void this.#loadQueue(true);
      if (this.view === 'log') void this.#loadLog();
    });
    void this.#show(this.view);
  }

  #signedOut(message: string): void {
    this.#live?.close();
    this.#live = null;
    this.session = null;
    this.message = message;
  }

  async #signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    await this.#run(async () => {
      this.session = await this.#api<ModeratorSession>('POST', '/api/v1/console/session', {
        token: field(form, 'token'),
      });
      form.reset();
      this.#signedIn();
      return `Signed in as ${this.session.moderator}.`;
    });
  }

  async #signOut(): Promise<void> {
    await this.#run(async () => {
      await this.#api('DELETE', '/api/v1/console/session');
      this.#signedOut('Signed out.');
      return 'Signed out.';
    });
  }

  async #show(view: View): Promise<void> {
    this.view = view;
    this.error = '';
    if (view === 'queue') await this.#loadQueue(true);
    if (view === 'bans')
      await this.#run(
        async () => void (this.bans = (await this.#api<Bans>('GET', '/api/v1/admin/bans')).bans),
      );
    if (view === 'log') await this.#loadLog();
    if (view === 'moderators')
      await this.#run(async () => {
        this.moderators = (await this.#api<Moderators>('GET', '/api/v1/admin/moderators')).moderators;
        return undefined;
      });
    if (view === 'deliveries')
      await this.#run(async () => {
        this.deliveries = (
          await this.#api<Deliveries>('GET', '/api/v1/admin/deliveries?limit=50')
        ).deliveries;
        return undefined;
      });
  }

  async #loadQueue(fresh: boolean): Promise<void> {
    await this.#run(async () => {
      const query = new URLSearchParams(this.#filters);
      if (!fresh && this.nextCursor) query.set('cursor', this.nextCursor);
      const page = await this.#api<ModerationPage>('GET', `/api/v1/admin/queue?${query}`);
      this.items = fresh ? page.items : [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
      if (fresh)
        this.selected = new Set([...this.selected].filter((id) => page.items.some((i) => i.reply.id === id)));
      return undefined;
    });
  }

  async #loadLog(more = false): Promise<void> {
    await this.#run(async () => {
      const page = await this.#api<ModerationLog>(
        'GET',
        `/api/v1/admin/log?limit=50${more && this.logCursor ? `&before=${this.logCursor}` : ''}`,
      );
      this.log = more ? [...this.log, ...page.entries] : page.entries;
      this.logCursor = page.nextCursor;
      return undefined;
    });
  }

  #filter(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const filters = new URLSearchParams();
    for (const name of ['queue', 'q', 'topic', 'author', 'readerId', 'network', 'status']) {
      const value = field(form, name);
      if (value) filters.set(name, value);
    }
    this.#filters = filters;
    void this.#loadQueue(true);
  }

  async #act(action: ModerationAction, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#run(async () => {
      const { results } = await this.#api<ModerationResults>('POST', '/api/v1/admin/replies/actions', {
        action,
        ids,
      });
      const failed = results.flatMap((r) => (r.ok ? [] : [`${r.id}: ${r.detail}`]));
      this.selected = new Set();
      await this.#loadQueue(true);
      const done = `${action}: ${results.length - failed.length} of ${results.length} done.`;
      if (failed.length > 0) this.error = failed.join(' ');
      return done;
    });
  }

  async #ban(body: Record<string, string>): Promise<void> {
    await this.#run(async () => {
      await this.#api('POST', '/api/v1/admin/bans', body);
      if (this.view === 'bans') this.bans = (await this.#api<Bans>('GET', '/api/v1/admin/bans')).bans;
      return `Banned ${body.readerId ? 'the reader' : `the network ${body.addressPrefix}`}.`;
    });
  }

  async #banForm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = field(form, 'value');
    const body: Record<string, string> =
      field(form, 'kind') === 'reader' ? { readerId: value } : { addressPrefix: value };
    const until = field(form, 'expires');
    if (until) body.expiresAt = new Date(until).toISOString();
    const reason = field(form, 'reason');
    if (reason) body.reason = reason;
    await this.#ban(body);
    if (!this.error) form.reset();
  }

  async #lift(ban: BanRecord): Promise<void> {
    await this.#run(async () => {
      await this.#api('POST', '/api/v1/admin/bans/lift', { kind: ban.kind, value: ban.value });
      this.bans = (await this.#api<Bans>('GET', '/api/v1/admin/bans')).bans;
      return `Lifted the ban of ${ban.kind === 'reader' ? 'reader' : 'network'} ${ban.value}.`;
    });
  }

  async #lock(topicId: string, locked: boolean): Promise<void> {
    await this.#run(async () => {
      await this.#api('POST', `/api/v1/admin/topics/${encodeURIComponent(topicId)}/lock`, { locked });
      if (this.view === 'queue') await this.#loadQueue(true);
      return `${locked ? 'Locked' : 'Unlocked'} topic ${topicId}.`;
    });
  }

  #topicInput(form: HTMLFormElement): Record<string, unknown> {
    const category = field(form, 'category')
      .split('/')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const sources = field(form, 'sources')
      .split('\n')
      .map((line) => line.split('|').map((part) => part.trim()))
      .filter((parts) => parts.length === 2 && parts[0] && parts[1])
      .map(([title, url]) => ({ title, url }));
    const input: Record<string, unknown> = { id: field(form, 'id'), title: field(form, 'title'), sources };
    if (category.length > 0) input.category = category;
    for (const name of ['label', 'summary', 'body']) {
      const value = field(form, name);
      if (value) input[name] = value;
    }
    const author = field(form, 'author');
    if (author) input.author = { name: author };
    return input;
  }

  async #previewTopic(form: HTMLFormElement): Promise<void> {
    await this.#run(async () => {
      const topic = await this.#api<Topic>('POST', '/api/v1/admin/topics/preview', this.#topicInput(form));
      this.#previewStore.topic = topic;
      this.preview = topic;
      await this.updateComplete;
      for (const el of this.renderRoot.querySelectorAll<LitElement>(
        '.preview topic-card, .preview source-list',
      ))
        el.requestUpdate();
      return 'Preview updated.';
    });
  }

  async #saveTopic(form: HTMLFormElement): Promise<void> {
    await this.#run(async () => {
      const topic = await this.#api<Topic>('POST', '/api/v1/topics', this.#topicInput(form));
      return `Saved topic ${topic.id}.`;
    });
  }

  async #loadTopic(form: HTMLFormElement): Promise<void> {
    await this.#run(async () => {
      const id = field(form, 'id');
      const topic = await this.#api<Topic>('GET', `/api/v1/topics/${encodeURIComponent(id)}?limit=1`);
      const set = (name: string, value: string) => {
        const el = form.elements.namedItem(name) as HTMLInputElement | null;
        if (el) el.value = value;
      };
      set('title', topic.title);
      set('category', topic.category?.path.join(' / ') ?? '');
      set('label', topic.label ?? '');
      set('summary', topic.summary ?? '');
      set('author', topic.author?.name ?? '');
      // The body as it was written, so that saving keeps its Markdown.
      const { source } = await this.#api<TopicSource>(
        'GET',
        `/api/v1/admin/topics/${encodeURIComponent(id)}/source`,
      );
      set('body', source);
      set('sources', topic.sources.map((s) => `${s.title} | ${s.url}`).join('\n'));
      return `Loaded topic ${topic.id}${topic.locked ? ' (locked)' : ''}.`;
    });
  }

  async #addModerator(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    await this.#run(async () => {
      this.newToken = await this.#api<CreatedModerator>('POST', '/api/v1/admin/moderators', {
        name: field(form, 'name'),
      });
      form.reset();
      this.moderators = (await this.#api<Moderators>('GET', '/api/v1/admin/moderators')).moderators;
      return `Added moderator ${this.newToken.name}.`;
    });
  }

  async #removeModerator(name: string): Promise<void> {
    await this.#run(async () => {
      await this.#api('DELETE', `/api/v1/admin/moderators/${encodeURIComponent(name)}`);
      this.moderators = (await this.#api<Moderators>('GET', '/api/v1/admin/moderators')).moderators;
      return `Removed moderator ${name}; their sessions have ended.`;
    });
  }

  #renderModerators(): TemplateResult {
    if (this.session?.role !== 'admin')
      return html`<h2>Moderators</h2><p>Only the admin adds and removes moderators.</p>`;
    return html`<h2>Moderators</h2>
      <form class="row" @submit=${this.#addModerator}>
        <label>Name <input name="name" required maxlength="60" /></label>
        <button type="submit">Add moderator</button>
      </form>
      ${
        this.newToken
          ? html`<p role="note">The token of ${this.newToken.name}, shown this once: <code>${this.newToken.token}</code></p>`
          : nothing
      }
      ${
        this.moderators.length === 0
          ? html`<p>No moderators yet: the admin token is the only way in.</p>`
          : html`<ul>${this.moderators.map(
              (m) => html`<li>${m.name} (added by ${m.createdBy})
              <button type="button" @click=${() => this.#removeModerator(m.name)}>Remove ${m.name}</button></li>`,
            )}</ul>`
      }`;
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #renderSignIn(): TemplateResult {
    return html`<main>
      <h1>Colloquy moderation</h1>
      <form class="row" @submit=${this.#signIn}>
        <label>Admin or moderator token <input name="token" type="password" autocomplete="current-password" required /></label>
        <button type="submit">Sign in</button>
      </form>
      ${this.#renderStatus()}
    </main>`;
  }

  #renderStatus(): TemplateResult {
    return html`<p role="status">${this.loading ? 'Working…' : this.message}</p>
      <p role="alert" class="error">${this.error}</p>`;
  }

  #renderItem(item: ModerationItem): TemplateResult {
    const { reply, topic } = item;
    const label = `reply by ${reply.author.name || 'nobody'} in ${topic.title}`;
    return html`<li>
      <label class="pick"><span><input type="checkbox" .checked=${this.selected.has(reply.id)}
        @change=${(e: Event) => this.#toggle(reply.id, (e.target as HTMLInputElement).checked)} />
        Select ${label}</span></label>
      <p class="meta">
        <strong>${reply.author.name || '(no name)'}</strong> in <em>${topic.title}</em>${topic.locked ? ' (locked)' : ''}
        · <time datetime=${reply.createdAt}>${new Date(reply.createdAt).toLocaleString()}</time>
        · status ${reply.status}${item.reports > 0 ? html` · ${item.reports} report${item.reports === 1 ? '' : 's'}` : nothing}
        ${item.network ? html` · network ${item.network}` : nothing}
        ${item.readerId ? html` · reader ${item.readerId.slice(0, 12)}` : nothing}
      </p>
      <p class="text">${reply.text}</p>
      <div class="actions" role="group" aria-label="Actions on the ${label}">
        ${ACTIONS.map(
          ([action, name]) =>
            html`<button type="button" @click=${() => this.#act(action, [reply.id])}>${name}</button>`,
        )}
        ${
          item.readerId
            ? html`<button type="button" @click=${() => this.#ban({ readerId: item.readerId ?? '' })}>Ban reader</button>`
            : nothing
        }
        ${
          item.network
            ? html`<button type="button" @click=${() => this.#ban({ addressPrefix: item.network ?? '' })}>Ban network</button>`
            : nothing
        }
        <button type="button" @click=${() => this.#lock(topic.id, !topic.locked)}>${topic.locked ? 'Unlock topic' : 'Lock topic'}</button>
      </div>
    </li>`;
  }

  #renderQueue(): TemplateResult {
    const f = this.#filters;
    const ids = [...this.selected];
    return html`<h2>Queues</h2>
      <form class="filters" @submit=${this.#filter}>
        <label>Queue
          <select name="queue">
            ${[
              ['pending', 'Awaiting review'],
              ['reported', 'Reported by readers'],
              ['recent', 'Recent replies'],
            ].map(
              ([value, name]) =>
                html`<option value=${value ?? ''} ?selected=${f.get('queue') === value}>${name}</option>`,
            )}
          </select></label>
        <label>Search text <input name="q" type="search" .value=${f.get('q') ?? ''} /></label>
        <label>Topic id <input name="topic" .value=${f.get('topic') ?? ''} /></label>
        <label>Author <input name="author" .value=${f.get('author') ?? ''} /></label>
        <label>Reader id <input name="readerId" .value=${f.get('readerId') ?? ''} /></label>
        <label>Network <input name="network" .value=${f.get('network') ?? ''} /></label>
        <label>Status
          <select name="status">
            ${['', 'published', 'pending', 'hidden', 'deleted'].map(
              (s) =>
                html`<option value=${s} ?selected=${(f.get('status') ?? '') === s}>${s || 'any'}</option>`,
            )}
          </select></label>
        <button type="submit">Apply filters</button>
      </form>
      <div class="actions" role="group" aria-label="Actions on the selected replies">
        ${ACTIONS.map(
          ([action, name]) =>
            html`<button type="button" ?disabled=${ids.length === 0} @click=${() => this.#act(action, ids)}>${name} selected (${ids.length})</button>`,
        )}
      </div>
      ${
        this.items.length === 0 && !this.loading
          ? html`<p>Nothing in this queue.</p>`
          : html`<ul class="items" aria-label="Replies">${this.items.map((item) => this.#renderItem(item))}</ul>`
      }
      ${this.nextCursor ? html`<button type="button" @click=${() => this.#loadQueue(false)}>Load more</button>` : nothing}`;
  }

  #renderBans(): TemplateResult {
    return html`<h2>Bans</h2>
      <form class="row" @submit=${this.#banForm}>
        <label>Ban a
          <select name="kind"><option value="reader">reader (reader id)</option><option value="address">network (address or prefix)</option></select></label>
        <label>Reader id or address <input name="value" required /></label>
        <label>Until (optional) <input name="expires" type="datetime-local" /></label>
        <label>Reason (optional) <input name="reason" /></label>
        <button type="submit">Ban</button>
      </form>
      ${
        this.bans.length === 0
          ? html`<p>No bans in force.</p>`
          : html`<table>
            <caption class="visually-hidden">Bans in force</caption>
            <thead><tr><th scope="col">What</th><th scope="col">Since</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Reason</th><th scope="col"><span class="visually-hidden">Lift</span></th></tr></thead>
            <tbody>${this.bans.map(
              (ban) => html`<tr>
                <td>${ban.kind === 'reader' ? 'reader' : 'network'} ${ban.kind === 'reader' ? ban.value.slice(0, 12) : ban.value}</td>
                <td>${new Date(ban.createdAt).toLocaleString()}</td>
                <td>${ban.expiresAt ? new Date(ban.expiresAt).toLocaleString() : 'until lifted'}</td>
                <td>${ban.createdBy ?? ''}</td>
                <td>${ban.reason ?? ''}</td>
                <td><button type="button" @click=${() => this.#lift(ban)}>Lift ban of ${ban.kind === 'reader' ? `reader ${ban.value.slice(0, 12)}` : `network ${ban.value}`}</button></td>
              </tr>`,
            )}</tbody>
          </table>`
      }`;
  }

  #renderLog(): TemplateResult {
    return html`<h2>Moderation log</h2>
      ${
        this.log.length === 0
          ? html`<p>Nothing logged yet.</p>`
          : html`<table>
            <caption class="visually-hidden">Who did what, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Reply</th><th scope="col">Topic or target</th></tr></thead>
            <tbody>${this.log.map(
              (e) => html`<tr>
                <td><time datetime=${e.at}>${new Date(e.at).toLocaleString()}</time></td>
                <td>${e.moderator}</td><td>${e.action}${e.detail ? ` (${e.detail})` : ''}</td>
                <td>${e.replyId ?? ''}</td><td>${e.topicId ?? e.target ?? ''}</td>
              </tr>`,
            )}</tbody>
          </table>`
      }
      ${this.logCursor ? html`<button type="button" @click=${() => this.#loadLog(true)}>Older entries</button>` : nothing}`;
  }

  #renderDeliveries(): TemplateResult {
    return html`<h2>Webhook deliveries</h2>
      ${
        this.deliveries.length === 0
          ? html`<p>No deliveries yet.</p>`
          : html`<table>
            <caption class="visually-hidden">Deliveries, newest first</caption>
            <thead><tr><th scope="col">Event</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Reply</th></tr></thead>
            <tbody>${this.deliveries.map(
              (d) =>
                html`<tr><td>${d.event}</td><td>${d.channel}${d.subscriptionId ? ` ${d.subscriptionId}` : ''}</td><td>${d.status}</td><td>${d.attempts}</td><td>${d.replyId}</td></tr>`,
            )}</tbody>
          </table>`
      }`;
  }

  #renderTopics(): TemplateResult {
    const form = () => this.renderRoot.querySelector<HTMLFormElement>('form.topic');
    /** Loading and locking need the id only; previewing and saving need the whole form valid. */
    const withForm =
      (work: (f: HTMLFormElement) => Promise<void>, idOnly = false) =>
      () => {
        const f = form();
        const id = f?.elements.namedItem('id') as HTMLInputElement | null;
        if (f && (idOnly ? id?.reportValidity() : f.reportValidity())) void work(f);
      };
    return html`<h2>Topics</h2>
      <form class="topic" @submit=${(e: Event) => e.preventDefault()}>
        <div class="row">
          <label>Id <input name="id" required /></label>
          <button type="button" @click=${withForm((f) => this.#loadTopic(f), true)}>Load</button>
          <button type="button" @click=${withForm((f) => this.#lock(field(f, 'id'), true), true)}>Lock</button>
          <button type="button" @click=${withForm((f) => this.#lock(field(f, 'id'), false), true)}>Unlock</button>
        </div>
        <div class="row">
          <label>Title <input name="title" required /></label>
          <label>Category path (a / b) <input name="category" /></label>
          <label>Label <input name="label" /></label>
          <label>Author <input name="author" /></label>
        </div>
        <label>Summary <textarea name="summary" rows="2" cols="60"></textarea></label>
        <label>Body (Markdown) <textarea name="body" rows="6" cols="60"></textarea></label>
        <label>Sources, one a line: title | URL <textarea name="sources" rows="3" cols="60"></textarea></label>
        <div class="row">
          <button type="button" @click=${withForm((f) => this.#previewTopic(f))}>Preview</button>
          <button type="button" @click=${withForm((f) => this.#saveTopic(f))}>Save topic</button>
        </div>
      </form>
      ${
        this.preview
          ? html`<section class="preview" aria-label="Preview"><topic-card></topic-card><source-list></source-list></section>`
          : nothing
      }`;
  }

  override render(): unknown {
    if (this.session === undefined) return html`<main><p role="status">Loading…</p></main>`;
    if (this.session === null) return this.#renderSignIn();
    const views = {
      queue: this.#renderQueue,
      bans: this.#renderBans,
      log: this.#renderLog,
      deliveries: this.#renderDeliveries,
      topics: this.#renderTopics,
      moderators: this.#renderModerators,
    };
    return html`<header>
        <h1>Colloquy moderation</h1>
        <p>Signed in as <strong>${this.session.moderator}</strong> <button type="button" @click=${this.#signOut}>Sign out</button></p>
      </header>
      <nav aria-label="Console">
        <ul>${VIEWS.map(
          ([view, name]) =>
            html`<li><button type="button" aria-current=${this.view === view ? 'page' : 'false'} @click=${() => this.#show(view)}>${name}</button></li>`,
        )}</ul>
      </nav>
      <main>${this.#renderStatus()}${views[this.view].call(this)}</main>`;
  }
}
