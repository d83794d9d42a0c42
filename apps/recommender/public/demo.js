// Kairos demo page: plain browser JavaScript, served as is (no build step).
// Browse the catalog, click items (each click POSTs an event to ingest), and follow this user's
// recommendation list live over server-sent events from the recommender.

const LIST_LENGTH = 10;
const CLICKS_SHOWN = 8;
const ingestOrigin = document.querySelector('meta[name="kairos-ingest-url"]')?.content ?? '';

const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const freshUserId = () => `demo-${Math.random().toString(36).slice(2, 8)}`;
const $ = (id) => document.getElementById(id);
const state = {
  userId: initialUserId(),
  catalog: [],
  titles: new Map(),
  category: null,
  /** eventId → what the browser saw of that click: when, when ingest answered, its trace. */
  clicks: new Map(),
  /**
   * eventId → a list update that arrived before this page had read the click's 202 (the
   * embedded pipeline can be faster than the answer's body), kept until the click claims it.
   */
  earlyUpdates: new Map(),
  clickOrder: [],
  previousIds: [],
  updates: 0,
  stream: null,
};

function initialUserId() {
  const fromUrl = new URLSearchParams(location.search).get('user');
  return fromUrl && USER_ID.test(fromUrl) ? fromUrl : freshUserId();
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'style') {
      // CSSOM, not a style attribute: the page's Content-Security-Policy refuses inline styles.
      for (const [property, setting] of Object.entries(value))
        node.style.setProperty(property, setting);
    } else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function setStatus(kind, text) {
  const status = $('status');
  status.dataset.state = kind;
  status.textContent = text;
}

const formatMs = (ms) => (ms === null || ms === undefined ? '–' : `${Math.round(ms)} ms`);
const shortId = (id) => (id && id.length > 18 ? `${id.slice(0, 8)}…${id.slice(-6)}` : (id ?? '–'));

// ---------------------------------------------------------------- catalog

async function loadCatalog() {
  const response = await fetch('/v1/demo/catalog?limit=2000');
  if (!response.ok) throw new Error(`catalog: ${response.status}`);
  const page = await response.json();
  state.catalog = page.items;
  for (const item of page.items) state.titles.set(item.itemId, item);
  $('catalog-count').textContent = `${page.total} items`;
  if (page.total === 0) {
    const hint = $('catalog-hint');
    hint.hidden = false;
    hint.textContent =
      'The catalog is empty so far. In distributed mode, load it with `npm run demo:catalog`; retrying…';
    setTimeout(() => void loadCatalog().catch(showError), 2_000);
    return;
  }
  $('catalog-hint').hidden = true;
  renderCategories(page.categories);
  showCategory(state.category ?? page.categories[0]?.name ?? null);
}

function renderCategories(categories) {
  const nav = $('categories');
  nav.replaceChildren(
    ...categories.map(({ name, items }) =>
      element(
        'button',
        {
          type: 'button',
          class: 'category',
          dataset: { category: name },
          onclick: () => showCategory(name),
        },
        name,
        element('span', { class: 'count' }, String(items)),
      ),
    ),
  );
}

function showCategory(name) {
  state.category = name;
  for (const button of $('categories').children)
    button.classList.toggle('active', button.dataset.category === name);
  const items = state.catalog.filter((item) => item.category === name);
  $('items').replaceChildren(...items.map(itemCard));
}

function itemCard(item) {
  return element(
    'button',
    {
      type: 'button',
      class: `item${item.available ? '' : ' unavailable'}`,
      dataset: { itemId: item.itemId },
      title: item.available ? 'Click to send a click event' : 'Unavailable: never recommended',
      onclick: (event) => void sendClick(item.itemId, event.currentTarget),
    },
    element('span', {
      class: 'swatch',
      style: { background: `hsl(${hueOf(item.category)} 70% 72%)` },
    }),
    element('span', { class: 'item-title' }, item.title),
    element(
      'span',
      { class: 'item-meta' },
      item.price === null ? item.itemId : `$${item.price.toFixed(2)} · ${item.itemId}`,
    ),
  );
}

/** A stable colour per category name. */
function hueOf(category) {
  let hash = 0;
  for (const char of category ?? '') hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

// ---------------------------------------------------------------- clicks → ingest

async function sendClick(itemId, origin) {
  const clickAt = Date.now();
  origin?.classList.add('pulse');
  setTimeout(() => origin?.classList.remove('pulse'), 600);
  const entry = {
    itemId,
    clickAt,
    acceptedAt: null,
    traceId: null,
    status: 'sending',
    eventId: null,
  };
  try {
    const response = await fetch(`${ingestOrigin}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: state.userId, itemId, type: 'click', timestamp: clickAt }),
    });
    entry.acceptedAt = Date.now();
    entry.traceId = response.headers.get('x-trace-id');
    const body = await response.json().catch(() => ({}));
    if (response.status !== 202) {
      entry.status = `refused ${response.status}: ${body?.error?.message ?? ''}`;
    } else {
      entry.status = 'accepted';
      entry.eventId = body.eventId;
      state.clicks.set(body.eventId, entry);
      const early = state.earlyUpdates.get(body.eventId);
      if (early) {
        state.earlyUpdates.delete(body.eventId);
        entry.status = 'updated';
        entry.shownAt = early.shownAt;
        // Still the list on screen: draw its stages again, now with the click's own times.
        if ($('as-of-event').dataset.eventId === body.eventId) {
          renderStages(early.update, entry, early.shownAt);
        }
      }
    }
  } catch (error) {
    // A cross-origin POST the browser blocks looks like a network error from here.
    entry.status = ingestOrigin
      ? `failed: ${error.message} (is ${ingestOrigin} up, with this page's origin in KAIROS_CORS_ORIGINS?)`
      : `failed: ${error.message}`;
  }
  state.clickOrder.unshift(entry);
  state.clickOrder.length = Math.min(state.clickOrder.length, CLICKS_SHOWN);
  renderClicks();
}

function renderClicks() {
  $('clicks').replaceChildren(
    ...state.clickOrder.map((click) =>
      element(
        'li',
        { class: click.status === 'accepted' ? '' : click.status === 'updated' ? 'done' : 'bad' },
        element('span', {}, state.titles.get(click.itemId)?.title ?? click.itemId),
        element(
          'span',
          { class: 'muted mono' },
          click.status === 'updated'
            ? `list in ${formatMs(click.shownAt - click.clickAt)}`
            : click.status === 'accepted'
              ? `accepted in ${formatMs(click.acceptedAt - click.clickAt)}`
              : click.status,
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------- recommendations

async function loadInitialList() {
  const response = await fetch(
    `/v1/recommendations/${encodeURIComponent(state.userId)}?k=${LIST_LENGTH}`,
  );
  if (!response.ok) return;
  const answer = await response.json();
  renderList(
    answer.items.map((item) => ({
      ...item,
      title: state.titles.get(item.itemId)?.title ?? item.itemId,
    })),
    answer.source === 'fallback' ? 'trending (no clicks yet)' : answer.source,
  );
  $('model').textContent = answer.model ? `${answer.model.name} v${answer.model.version}` : '–';
  $('as-of-event').textContent = shortId(answer.asOfEventId);
  $('as-of-event').dataset.eventId = answer.asOfEventId ?? '';
}

function renderList(items, source) {
  const top = Math.max(...items.map((item) => item.score), 1e-9);
  const list = $('recommendations');
  list.replaceChildren(
    ...items.map((item, rank) =>
      element(
        'li',
        {
          dataset: { itemId: item.itemId },
          class: state.previousIds.includes(item.itemId) ? '' : 'new',
          title: 'Click to send a click on this item',
          onclick: (event) => void sendClick(item.itemId, event.currentTarget),
        },
        element('span', { class: 'rank' }, String(rank + 1)),
        element(
          'span',
          { class: 'rec-body' },
          element('span', { class: 'item-title' }, item.title),
          element('span', { class: 'item-meta' }, `${item.category ?? ''} · ${item.itemId}`),
        ),
        element(
          'span',
          { class: 'score' },
          element('span', {
            class: 'bar',
            style: { '--w': `${Math.max(4, (100 * item.score) / top)}%` },
          }),
          element('span', { class: 'mono' }, item.score.toFixed(3)),
        ),
      ),
    ),
  );
  state.previousIds = items.map((item) => item.itemId);
  $('recs-source').textContent = source;
  $('recs-empty').hidden = items.length > 0;
  $('recs-empty').textContent = 'Nothing to recommend yet: click an item.';
}

function applyUpdate(update) {
  const shownAt = Date.now();
  state.updates += 1;
  $('updates-count').textContent = `${state.updates} update${state.updates === 1 ? '' : 's'}`;
  renderList(update.items, 'live');
  $('model').textContent = `${update.model.name} v${update.model.version}`;
  $('freshness').textContent = `${formatMs(update.freshnessMs)} click → list`;
  $('as-of-event').textContent = shortId(update.asOfEventId);
  $('as-of-event').dataset.eventId = update.asOfEventId ?? '';
  $('trace-id').textContent = update.traceId ?? '–';
  const click = state.clicks.get(update.asOfEventId);
  if (click) {
    click.status = 'updated';
    click.shownAt = shownAt;
    renderClicks();
  } else if (update.asOfEventId) {
    state.earlyUpdates.set(update.asOfEventId, { update, shownAt });
    // Updates of other tabs' or devices' clicks are never claimed: keep only the latest few.
    for (const eventId of state.earlyUpdates.keys()) {
      if (state.earlyUpdates.size <= CLICKS_SHOWN) break;
      state.earlyUpdates.delete(eventId);
    }
  }
  renderStages(update, click, shownAt);
}

function renderStages(update, click, shownAt) {
  const start = click?.clickAt ?? update.stages.eventTime ?? update.stages.computedAt;
  const stages = [
    ['Click', start, 'browser'],
    ['Ingest accepted (202)', click?.acceptedAt ?? null, 'browser'],
    ['Feature processed', update.stages.featureProcessedAt, 'feature'],
    ['Recommender received', update.stages.recommenderReceivedAt, 'recommender'],
    ['List computed', update.stages.computedAt, 'recommender'],
    ['List saved', update.stages.savedAt, 'recommender, store'],
    ['Shown here', shownAt, 'browser'],
  ];
  // The 202 may be read after the list was shown (see state.earlyUpdates): the axis covers both.
  const total = Math.max(1, Math.max(shownAt, click?.acceptedAt ?? shownAt) - start);
  // Each bar spans from the previous known stage to this one, on one axis from click to shown.
  let previous = start;
  $('stages').replaceChildren(
    ...stages.map(([label, at, where]) => {
      const since = at === null ? null : Math.max(0, at - start);
      // A stage may finish before the one listed above it (the feature service can be done
      // before the 202 reaches this browser): its bar then ends where it happened.
      const from = at === null ? previous : Math.min(previous, at);
      if (at !== null) previous = Math.max(previous, at);
      const bar = at === null ? { from: 0, width: 0 } : { from: from - start, width: at - from };
      return element(
        'li',
        { dataset: { stage: label } },
        element('span', { class: 'stage-label' }, label, element('small', {}, where)),
        element(
          'span',
          { class: 'stage-track' },
          element('span', {
            class: 'stage-bar',
            style: {
              '--from': `${(100 * bar.from) / total}%`,
              '--w': `${at === null ? 0 : Math.max(0.8, (100 * bar.width) / total)}%`,
            },
          }),
        ),
        element('span', { class: 'mono stage-ms' }, since === null ? 'n/a' : `+${formatMs(since)}`),
      );
    }),
  );
}

// ---------------------------------------------------------------- live stream

function connect() {
  state.stream?.close();
  setStatus('connecting', 'connecting…');
  const stream = new EventSource(`/v1/demo/users/${encodeURIComponent(state.userId)}/updates`);
  state.stream = stream;
  stream.addEventListener('ready', () => setStatus('live', 'live'));
  stream.addEventListener('recommendations', (event) => applyUpdate(JSON.parse(event.data)));
  // EventSource reconnects by itself after a dropped stream, but gives up on an error answer
  // (503 while the server restarts or is full): then try again a little later.
  stream.onerror = () => {
    setStatus('offline', 'reconnecting…');
    if (stream.readyState === EventSource.CLOSED)
      setTimeout(() => state.stream === stream && connect(), 3_000);
  };
}

function switchUser(userId) {
  state.userId = userId;
  state.clicks.clear();
  state.clickOrder = [];
  state.previousIds = [];
  state.updates = 0;
  $('user-id').value = userId;
  $('recs-user').textContent = userId;
  $('updates-count').textContent = '0 updates';
  $('stages').replaceChildren();
  $('freshness').textContent = '–';
  $('trace-id').textContent = '–';
  renderClicks();
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url);
  connect();
  void loadInitialList().catch(showError);
}

function showError(error) {
  setStatus('offline', `error: ${error.message}`);
}

$('new-user').addEventListener('click', () => switchUser(freshUserId()));
$('user-id').addEventListener('change', (event) => {
  const value = event.target.value.trim();
  if (USER_ID.test(value)) switchUser(value);
});

loadCatalog()
  .catch(showError)
  .finally(() => switchUser(state.userId));
