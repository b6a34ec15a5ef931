// app.js is the playground page: it fetches what the current person sees
// (GET /api/state), renders it like Slack, sends what they do to the JSON
// API, and refetches whenever the server says something changed (SSE).
'use strict';

(function () {
  const M = window.Mrkdwn;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  const COHORT = 'CCOHORT';
  const COMMANDS = [
    ['ask [topic]', 'A random question, with its answer a click away'],
    ['practice [topic]', 'A private practice round in your DM with prepbot'],
    ['answer [ID]', "A reference answer (no ID: today's question here)"],
    ['topics', 'Topics and how many questions each has'],
    ['tips', 'Interview principles and tips'],
    ['star', 'The STAR guide for behavioural questions'],
    ['stats', 'Your practice record; the channel’s week'],
    ['schedule', "This channel's question of the day"],
    ['schedule 0 9 * * *', 'Admin: a question every day at 09:00'],
    ['post', 'Admin: post a question of the day now'],
    ['reveal', 'Admin: reveal the answer in the thread now'],
    ['add', 'Admin: add a question (opens a form)'],
    ['mock', 'Mock interviews here: who is in, when'],
    ['mock join', 'Join the weekly mock interviews'],
    ['mock on', 'Admin: weekly mock interviews in pairs'],
    ['mock now', 'Admin: pair everyone for a round now'],
    ['insights', 'Admin: the cohort’s week, weak topics, charts'],
    ['help', 'Everything /prep can do'],
  ];

  // S is the page's state. data is the last /api/state answer.
  const S = {
    me: 'UADA',
    view: 'cohort', // "cohort", "app" (DM with prepbot), "home" or "g:<ID>" (a group DM)
    thread: null, // ts of the open thread's parent, in the current conversation
    data: null,
    fetching: false,
    again: false,
    seen: {}, // user -> conversation ID -> number of top-level items seen
    modalID: null,
    modalErrors: {},
    stick: true,
  };

  // ---- startup ----

  function readHash() {
    const h = new URLSearchParams(location.hash.slice(1));
    if (/^U[A-Z0-9]+$/.test(h.get('user') || '')) S.me = h.get('user');
    const v = h.get('view') || '';
    if (['cohort', 'app', 'home'].includes(v) || /^g:[A-Z0-9]+$/.test(v)) S.view = v;
  }

  function writeHash() {
    const h = new URLSearchParams({ user: S.me, view: S.view });
    history.replaceState(null, '', '#' + h.toString());
  }

  function init() {
    readHash();
    writeHash();
    bindComposer($('#composer-main'), () => ({ channel: currentChannel(), thread: '' }));
    bindComposer($('#composer-thread'), () => ({ channel: currentChannel(), thread: S.thread }));
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        if (!$('#modal').hidden) closeModal();
        else if (S.thread) openThread(null);
      }
    });
    $('#modal-submit').addEventListener('click', submitModal);
    $('#modal-body').addEventListener('submit', (e) => { e.preventDefault(); submitModal(); });
    $('#thread-close').addEventListener('click', () => openThread(null));
    $('#pane-scroll').addEventListener('scroll', () => {
      const el = $('#pane-scroll');
      S.stick = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
    });
    connect();
    refresh();
  }

  // connect follows the server's change events; EventSource reconnects by
  // itself, and a refetch after it does catches up on what was missed.
  function connect() {
    const es = new EventSource('/api/events');
    es.addEventListener('changed', (e) => {
      $('#banner').hidden = true;
      if (!S.data || String(S.data.rev) !== e.data) refresh();
    });
    es.addEventListener('open', () => { $('#banner').hidden = true; refresh(); });
    es.addEventListener('error', () => { $('#banner').hidden = false; });
  }

  async function refresh() {
    if (S.fetching) { S.again = true; return; }
    S.fetching = true;
    try {
      const r = await fetch('/api/state?user=' + encodeURIComponent(S.me), { cache: 'no-store' });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      S.data = await r.json();
      render();
    } catch (err) {
      $('#banner').hidden = false;
    } finally {
      S.fetching = false;
      if (S.again) { S.again = false; refresh(); }
    }
  }

  async function api(path, body) {
    let r, out;
    try {
      r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      out = await r.json();
    } catch (err) {
      toast('The playground did not answer: ' + err.message, true);
      return null;
    }
    if (!r.ok) {
      toast(out && out.error ? out.error : 'HTTP ' + r.status, true);
      return null;
    }
    return out;
  }

  // ---- helpers ----

  function people() { return S.data ? S.data.people : []; }

  function person(id) {
    if (!S.data) return undefined;
    if (id === S.data.bot.id) return S.data.bot;
    return S.data.people.find((p) => p.id === id);
  }

  function conv(kind) {
    if (!S.data) return null;
    return S.data.conversations.find((c) => c.kind === kind) || null;
  }

  function groupID() { return S.view.startsWith('g:') ? S.view.slice(2) : ''; }

  function groups() { return S.data ? S.data.conversations.filter((c) => c.kind === 'group') : []; }

  function currentConv() {
    if (groupID()) return groups().find((c) => c.id === groupID()) || null;
    return conv(S.view === 'cohort' ? 'channel' : 'app');
  }

  function currentChannel() {
    const c = currentConv();
    return c ? c.id : (S.view === 'cohort' ? COHORT : 'D' + S.me);
  }

  function zone() { return S.data ? S.data.zone : 'UTC'; }

  function fmt(ms, opts) {
    try {
      return new Intl.DateTimeFormat('en-US', Object.assign({ timeZone: zone() }, opts)).format(new Date(ms));
    } catch (err) {
      return new Date(ms).toUTCString();
    }
  }

  const timeOf = (ms) => fmt(ms, { hour: 'numeric', minute: '2-digit' });
  const dayKey = (ms) => fmt(ms, { year: 'numeric', month: '2-digit', day: '2-digit' });

  function ordinal(n) {
    const s = ['th', 'st', 'nd', 'rd'];
    const v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  function dayLabel(ms) {
    const now = Date.parse(S.data.now);
    if (dayKey(ms) === dayKey(now)) return 'Today';
    if (dayKey(ms) === dayKey(now - 86400000)) return 'Yesterday';
    return fmt(ms, { weekday: 'long' }) + ', ' + fmt(ms, { month: 'long' }) + ' ' + ordinal(+fmt(ms, { day: 'numeric' }));
  }

  function relDay(ms) {
    const label = dayLabel(ms);
    return label === 'Today' || label === 'Yesterday' ? label.toLowerCase() : 'on ' + label;
  }

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'html') el.innerHTML = v;
      else if (k === 'style') Object.assign(el.style, v);
      else if (k.startsWith('data-')) el.dataset[k.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c == null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function avatar(id, size) {
    const p = person(id) || { name: '?', color: '#868686' };
    const cls = 'avatar' + (size ? ' avatar-' + size : '');
    if (p.bot) return h('img', { class: cls + ' avatar-bot', src: '/static/prepbot.svg', alt: '' });
    return h('span', { class: cls, style: { background: p.color }, 'aria-hidden': 'true' }, (p.name || '?').charAt(0).toUpperCase());
  }

  function hideToast() {
    clearTimeout(toastTimer);
    $('#toast').hidden = true;
  }

  let toastTimer;
  function toast(msg, bad) {
    const t = $('#toast');
    t.textContent = msg;
    t.classList.toggle('toast-bad', !!bad);
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 6000 : 4000);
  }

  // ---- rendering ----

  function render() {
    if (!S.data) return;
    M.setContext({ person, channel: (id) => (id === COHORT ? 'cohort' : undefined) });
    // A group DM is its members' only: someone else's view falls back.
    if (groupID() && !currentConv()) { S.view = 'cohort'; S.thread = null; writeHash(); }
    renderTop();
    renderSidebar();
    renderPane();
    renderThread();
    renderModal();
  }

  function renderTop() {
    const d = S.data;
    const now = Date.parse(d.now);
    $('#clock-now').textContent = fmt(now, { weekday: 'short', month: 'short', day: 'numeric' }) + ' · ' + timeOf(now) + ' ' + d.zone;
    const next = $('#clock-next');
    if (d.next_post) {
      const at = Date.parse(d.next_post);
      next.textContent = 'next post ' + (dayKey(at) === dayKey(now) ? 'today' : fmt(at, { weekday: 'short' })) + ' ' + timeOf(at);
      next.hidden = false;
    } else {
      next.textContent = '';
      next.hidden = true;
    }
    const sw = $('#switcher');
    sw.replaceChildren(h('span', { class: 'switch-label' }, 'Viewing as'), ...people().map((p) =>
      h('button', {
        type: 'button', class: 'switch-user' + (p.id === S.me ? ' active' : ''), 'data-user': p.id,
        role: 'radio', 'aria-checked': p.id === S.me ? 'true' : 'false', title: p.real_name + ' · ' + p.title,
      }, avatar(p.id, 'sm'), h('span', { class: 'switch-name' }, p.name), p.admin ? h('span', { class: 'switch-tag' }, 'admin') : null)));
  }

  function countTop(c) {
    return c ? c.messages.filter((m) => m.user !== S.me).length : 0;
  }

  function groupFaces(c) {
    return h('span', { class: 'sb-faces' }, ...c.members.filter((u) => u !== S.me).slice(0, 2).map((u) => avatar(u, 'xs')));
  }

  function renderSidebar() {
    const seen = (S.seen[S.me] = S.seen[S.me] || {});
    const list = $('#sb-groups');
    list.replaceChildren(...groups().map((c) => h('a', { href: '#', class: 'sb-item sb-group', 'data-conv': 'g:' + c.id, id: 'sb-g-' + c.id, title: c.name },
      groupFaces(c), h('span', { class: 'sb-label' }, c.name), h('span', { class: 'sb-badge', hidden: true }))));
    $('#sb-groups-section').hidden = groups().length === 0;
    const items = [['cohort', conv('channel')], ['app', conv('app')], ...groups().map((c) => ['g:' + c.id, c])];
    for (const [key, c] of items) {
      if (!c) continue;
      const n = countTop(c);
      if (S.view === key || (key === 'app' && S.view === 'home' && seen[c.id] === undefined)) seen[c.id] = n;
      if (seen[c.id] === undefined) seen[c.id] = key.startsWith('g:') ? 0 : n; // a new group DM is news
      const unread = n - seen[c.id];
      const el = key.startsWith('g:') ? $('#sb-g-' + c.id) : $('#sb-' + key);
      el.classList.toggle('unread', unread > 0);
      el.classList.toggle('active', S.view === key);
      const badge = $('.sb-badge', el);
      badge.hidden = !(unread > 0 && key !== 'cohort'); // Slack counts DMs, not channels
      badge.textContent = unread > 0 ? String(unread) : '';
    }
    $('#sb-home').classList.toggle('active', S.view === 'home');
  }

  function paneHead() {
    const head = $('#pane-head');
    if (S.view === 'cohort') {
      head.replaceChildren(
        h('div', { class: 'ph-title' }, h('span', { class: 'ph-hash' }, '#'), 'cohort'),
        h('div', { class: 'ph-topic' }, 'Backend Interviews · question of the day, answers in the thread'),
        h('div', { class: 'ph-members', title: 'Ines, Ada, Grace and prepbot' },
          h('span', { class: 'ph-faces' }, ...people().map((p) => avatar(p.id, 'xs')), avatar(S.data.bot.id, 'xs')),
          h('span', { class: 'ph-count' }, String(people().length + 1))));
      return;
    }
    const g = currentConv();
    if (groupID() && g) {
      const names = g.members.map((u) => (person(u) || { name: u }).name).join(', ');
      head.replaceChildren(
        h('div', { class: 'ph-title' }, groupFaces(g), g.name),
        h('div', { class: 'ph-topic' }, 'Group DM prepbot opened for a mock interview'),
        h('div', { class: 'ph-members', title: names + ' and prepbot' },
          h('span', { class: 'ph-faces' }, ...g.members.map((u) => avatar(u, 'xs')), avatar(S.data.bot.id, 'xs')),
          h('span', { class: 'ph-count' }, String(g.members.length + 1))));
      return;
    }
    const tab = (key, label) => h('a', { href: '#', class: 'ph-tab' + (S.view === key ? ' active' : ''), 'data-conv': key }, label);
    head.replaceChildren(
      h('div', { class: 'ph-title' }, avatar(S.data.bot.id, 'sm'), 'prepbot', h('span', { class: 'app-tag' }, 'APP')),
      h('nav', { class: 'ph-tabs' }, tab('home', 'Home'), tab('app', 'Messages')));
  }

  function renderPane() {
    paneHead();
    const list = $('#pane-list');
    const scroll = $('#pane-scroll');
    const composer = $('#composer-main');
    const stick = S.stick;
    const top = scroll.scrollTop;
    $('#pane').classList.toggle('is-home', S.view === 'home');
    if (S.view === 'home') {
      composer.hidden = true;
      const view = S.data.home;
      list.replaceChildren(h('div', { class: 'home' },
        view && Array.isArray(view.blocks)
          ? h('div', { class: 'home-card blocks', html: M.blocks(view.blocks) })
          : h('div', { class: 'home-empty' }, 'Opening your App Home…')));
      return;
    }
    composer.hidden = false;
    const c = currentConv();
    $('textarea', composer).placeholder = S.view === 'cohort' ? 'Message #cohort' : groupID() && c ? 'Message ' + c.name : 'Message prepbot';
    list.replaceChildren(intro(), ...timeline(c ? c.messages : [], c, false));
    if (stick) scroll.scrollTop = scroll.scrollHeight;
    else scroll.scrollTop = top;
  }

  function intro() {
    const g = groupID() ? currentConv() : null;
    if (g) {
      return h('div', { class: 'intro' },
        h('div', { class: 'intro-title' }, g.name),
        h('p', {}, 'This is the very beginning of your group DM with ', h('b', {}, g.name), ' and prepbot. The bot opened it for a mock interview: only the people in it see what is said here.'));
    }
    if (S.view === 'cohort') {
      return h('div', { class: 'intro' },
        h('div', { class: 'intro-title' }, '# cohort'),
        h('p', {}, 'This is the very beginning of the ', h('b', {}, '#cohort'), ' channel. prepbot is a member: everything here is the real bot, running on a simulated Slack and clock.'),
        h('div', { class: 'intro-tips' },
          h('div', { class: 'intro-tip' }, h('code', {}, '/prep ask'), ' a random question, answer hidden until you ask'),
          h('div', { class: 'intro-tip' }, 'As ', h('b', {}, 'Ines'), ': ', h('code', {}, '/prep schedule 0 9 * * *'), ', then ', h('b', {}, 'Jump to next post')),
          h('div', { class: 'intro-tip' }, h('code', {}, '/prep practice'), ' a private round in your DM with prepbot')));
    }
    return h('div', { class: 'intro' },
      h('div', { class: 'intro-app' }, avatar(S.data.bot.id, 'lg'),
        h('div', {}, h('div', { class: 'intro-title' }, 'prepbot'), h('div', { class: 'intro-sub' }, 'Daily interview practice: questions, reference answers, spaced repetition.'))),
      h('p', {}, 'This is your private conversation with prepbot. Send ', h('code', {}, 'practice'), ' (or ', h('code', {}, 'practice databases'), ') for a question, answer it in a message, then rate yourself. ', h('code', {}, 'help'), ' lists the rest.'));
  }

  // timeline renders messages with day dividers and Slack's grouping of
  // consecutive messages by one author.
  function timeline(items, c, inThread) {
    const out = [];
    let prev = null;
    for (const m of items) {
      if (!inThread && (!prev || dayKey(prev.time) !== dayKey(m.time))) {
        out.push(h('div', { class: 'day' }, h('span', { class: 'day-pill' }, dayLabel(m.time))));
        prev = null;
      }
      const compact = prev && prev.user === m.user && !m.ephemeral && !prev.ephemeral &&
        !prev.reply_count && m.time - prev.time < 5 * 60000 && !m.file && !prev.file;
      out.push(message(m, c, { compact, inThread }));
      prev = m;
    }
    return out;
  }

  function message(m, c, opts) {
    const p = person(m.user) || { name: m.user, color: '#868686' };
    const cls = ['msg'];
    if (opts.compact) cls.push('compact');
    if (m.ephemeral) cls.push('ephemeral');
    const full = fmt(m.time, { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
    const body = h('div', { class: 'msg-body' });
    if (m.ephemeral) {
      body.append(h('div', { class: 'eph-label' },
        h('span', { class: 'eye', 'aria-hidden': 'true', html: '<svg viewBox="0 0 20 20"><path d="M10 4.5C5.5 4.5 2.3 8 1.5 10c.8 2 4 5.5 8.5 5.5s7.7-3.5 8.5-5.5c-.8-2-4-5.5-8.5-5.5zm0 9a3.5 3.5 0 110-7 3.5 3.5 0 010 7zm0-5.2a1.7 1.7 0 100 3.4 1.7 1.7 0 000-3.4z" fill="currentColor"/></svg>' }),
        'Only visible to you'));
    }
    if (!opts.compact) {
      body.append(h('div', { class: 'msg-head' },
        h('span', { class: 'msg-name' }, p.name),
        p.bot ? h('span', { class: 'app-tag' }, 'APP') : null,
        h('span', { class: 'msg-time', title: full }, timeOf(m.time))));
    }
    const content = h('div', { class: 'msg-content' });
    if (m.file) {
      const href = '/api/file?user=' + encodeURIComponent(S.me) + '&id=' + encodeURIComponent(m.file.id);
      const kind = (m.file.name.match(/\.([A-Za-z0-9]{1,5})$/) || [, 'file'])[1].toUpperCase();
      const meta = kind + ' · ' + Math.max(1, Math.round(m.file.size / 1024)) + ' KB';
      if (m.file.image) {
        // Slack shows a picture inline, with its name above it.
        const img = h('img', { src: href, alt: m.file.name });
        // A picture grows the timeline when it loads: stay at the bottom.
        img.addEventListener('load', () => {
          const el = $('#pane-scroll');
          if (S.stick && el.contains(img)) el.scrollTop = el.scrollHeight;
        });
        content.append(h('figure', { class: 'file-image' },
          h('figcaption', {}, h('span', { class: 'file-name' }, m.file.name), ' ', h('span', { class: 'file-meta' }, meta)),
          h('a', { href, target: '_blank', rel: 'noopener' }, img)));
      } else {
        content.append(h('a', { class: 'file-card', href, download: m.file.name },
          h('span', { class: 'file-icon' }, kind === 'JSON' ? '{ }' : kind.slice(0, 4)),
          h('span', {}, h('span', { class: 'file-name' }, m.file.name), h('span', { class: 'file-meta' }, meta))));
      }
    } else if (Array.isArray(m.blocks) && m.blocks.length) {
      content.classList.add('blocks');
      content.innerHTML = M.blocks(m.blocks);
    } else {
      content.innerHTML = M.mrkdwn(m.text);
    }
    if (m.edited && !m.bot) { // Slack marks people's edits, not apps' updates
      const lines = content.querySelectorAll('.mk-line');
      (lines.length ? lines[lines.length - 1] : content).append(h('span', { class: 'edited' }, ' (edited)'));
    }
    body.append(content);
    if (m.reply_count && !opts.inThread) {
      body.append(h('button', { type: 'button', class: 'replies', 'data-thread': m.ts },
        h('span', { class: 'reply-faces' }, ...m.reply_users.slice(0, 5).map((u) => avatar(u, 'xs'))),
        h('span', { class: 'reply-count' }, m.reply_count + (m.reply_count === 1 ? ' reply' : ' replies')),
        h('span', { class: 'reply-last' }, 'Last reply ' + relDay(m.latest_reply) + ' at ' + timeOf(m.latest_reply)),
        h('span', { class: 'reply-view' }, 'View thread')));
    }
    if (m.ephemeral) {
      body.append(h('button', { type: 'button', class: 'eph-dismiss', 'data-dismiss': m.id }, 'Dismiss message'));
    }
    const gutter = opts.compact
      ? h('div', { class: 'msg-gutter' }, h('span', { class: 'msg-time msg-time-hover', title: full }, timeOf(m.time).replace(/ [AP]M$/, '')))
      : h('div', { class: 'msg-gutter' }, avatar(m.user));
    const el = h('div', {
      class: cls.join(' '), 'data-ts': m.ts, 'data-id': m.id, 'data-channel': c ? c.id : '',
      'data-ephemeral': m.ephemeral ? '1' : null, 'data-user': m.user,
    }, gutter, body);
    if (!opts.inThread && !m.ephemeral && !m.file) {
      el.append(h('div', { class: 'msg-actions' },
        h('button', { type: 'button', class: 'icon-btn reply-btn', 'data-thread': m.ts, title: 'Reply in thread', 'aria-label': 'Reply in thread' },
          h('span', { class: 'icon', 'aria-hidden': 'true', html: '<svg viewBox="0 0 20 20"><path d="M3.5 4.5h13v8.5H9l-4 3v-3H3.5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/></svg>' }))));
    }
    return el;
  }

  function findTop(ts) {
    const c = currentConv();
    return c ? c.messages.find((m) => m.ts === ts) : null;
  }

  function renderThread() {
    const pane = $('#thread');
    const parent = S.thread && S.view !== 'home' ? findTop(S.thread) : null;
    if (!parent) {
      if (S.thread && S.view !== 'home') S.thread = null;
      pane.hidden = true;
      document.body.classList.remove('with-thread');
      return;
    }
    const c = currentConv();
    const replies = c.threads[parent.ts] || [];
    const scroll = $('#thread-scroll');
    const stick = pane.hidden || scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 60;
    pane.hidden = false;
    document.body.classList.add('with-thread');
    $('#thread-where').textContent = S.view === 'cohort' ? '# cohort' : groupID() ? c.name : 'prepbot';
    const n = replies.filter((r) => !r.ephemeral).length;
    $('#thread-list').replaceChildren(
      message(parent, c, { inThread: true }),
      h('div', { class: 'thread-count' }, h('span', {}, n === 1 ? '1 reply' : n + ' replies')),
      ...timeline(replies, c, true));
    if (stick) scroll.scrollTop = scroll.scrollHeight;
  }

  function openThread(ts) {
    S.thread = ts;
    renderThread();
    if (ts) setTimeout(() => $('textarea', $('#composer-thread')).focus(), 0);
  }

  function renderModal() {
    const m = S.data.modal;
    const box = $('#modal');
    if (!m) {
      box.hidden = true;
      S.modalID = null;
      return;
    }
    if (S.modalID === m.id && !box.hidden) return; // keep what is being typed
    S.modalID = m.id;
    S.modalErrors = {};
    const v = m.view || {};
    $('#modal-title').innerHTML = M.plain(v.title || { text: 'prepbot' });
    $('#modal-submit').innerHTML = M.plain(v.submit || { text: 'Submit' });
    $('.modal-cancel').innerHTML = M.plain(v.close || { text: 'Cancel' });
    $('#modal-body').innerHTML = M.blocks(v.blocks || [], {});
    box.hidden = false;
    const first = $('input.bk-control, select.bk-control, textarea.bk-control, .bk-radios input', box);
    if (first) first.focus();
  }

  function showModalErrors(errors) {
    for (const field of $$('.bk-input', $('#modal'))) {
      const msg = errors[field.dataset.blockId];
      field.classList.toggle('has-error', !!msg);
      let el = $('.bk-error', field);
      if (msg) {
        if (!el) {
          el = h('div', { class: 'bk-error' });
          $('.bk-control', field).after(el);
        }
        el.textContent = msg;
      } else if (el) {
        el.remove();
      }
    }
  }

  async function submitModal() {
    if (!S.modalID) return;
    const values = {};
    for (const field of $$('.bk-input', $('#modal'))) {
      const control = $('.bk-control', field);
      let value = control ? control.value : '';
      if (control && control.classList.contains('bk-radios')) {
        const on = $('input:checked', control);
        value = on ? on.value : '';
      }
      values[field.dataset.blockId] = { [field.dataset.actionId]: value || '' };
    }
    const btn = $('#modal-submit');
    btn.disabled = true;
    const out = await api('/api/submit', { user: S.me, view_id: S.modalID, values });
    btn.disabled = false;
    if (out && out.ok === false && out.errors) {
      showModalErrors(out.errors);
      return;
    }
    if (out && out.ok) {
      $('#modal').hidden = true;
      S.modalID = null;
      refresh();
    }
  }

  async function closeModal() {
    const id = S.modalID;
    $('#modal').hidden = true;
    S.modalID = null;
    if (id) await api('/api/close', { user: S.me, view_id: id });
  }

  // ---- actions ----

  function setView(view) {
    hideToast();
    if (view !== S.view) S.thread = null;
    S.view = view;
    S.stick = true;
    writeHash();
    render();
    if (view === 'home') api('/api/home', { user: S.me });
    if (view !== 'home') setTimeout(() => $('textarea', $('#composer-main')).focus(), 0);
  }

  function setUser(id) {
    if (id === S.me) return;
    hideToast();
    S.me = id;
    S.thread = null;
    S.modalID = null;
    S.stick = true;
    writeHash();
    S.data = null;
    refresh().then(() => { if (S.view === 'home') api('/api/home', { user: S.me }); });
  }

  async function onClick(e) {
    const t = e.target;
    const convLink = t.closest('[data-conv]');
    if (convLink) { e.preventDefault(); setView(convLink.dataset.conv); return; }
    const sw = t.closest('[data-user].switch-user');
    if (sw) { setUser(sw.dataset.user); return; }
    const thread = t.closest('[data-thread]');
    if (thread) { openThread(thread.dataset.thread); return; }
    const dismiss = t.closest('[data-dismiss]');
    if (dismiss) { api('/api/dismiss', { user: S.me, id: dismiss.dataset.dismiss }); return; }
    if (t.closest('[data-modal-close]')) { closeModal(); return; }
    const clockBtn = t.closest('[data-clock]');
    if (clockBtn) { moveClock(clockBtn); return; }
    const btn = t.closest('.bk-btn[data-action-id]');
    if (btn && !btn.closest('#modal')) { press(btn); }
  }

  async function moveClock(btn) {
    $$('[data-clock]').forEach((b) => { b.disabled = true; });
    const out = await api('/api/clock', { action: btn.dataset.clock });
    $$('[data-clock]').forEach((b) => { b.disabled = false; });
    if (out && out.note) toast(out.note);
    refresh();
  }

  async function press(btn) {
    if (btn.dataset.url) window.open(btn.dataset.url, '_blank', 'noopener');
    if (btn.dataset.confirm) {
      let c = {};
      try { c = JSON.parse(btn.dataset.confirm); } catch (err) { /* show the button's own text */ }
      const q = [(c.title && c.title.text) || 'Are you sure?', (c.text && c.text.text) || ''].join('\n\n');
      if (!window.confirm(q)) return;
    }
    const msg = btn.closest('.msg');
    const body = {
      user: S.me, action_id: btn.dataset.actionId, block_id: btn.dataset.blockId,
      value: btn.dataset.value, text: btn.dataset.text,
    };
    if (msg) {
      body.channel = msg.dataset.channel;
      body.ts = msg.dataset.ts;
      body.ephemeral = msg.dataset.ephemeral === '1';
    } else if (btn.closest('.home')) {
      body.home = true;
    } else {
      return;
    }
    btn.classList.add('busy');
    setTimeout(() => btn.classList.remove('busy'), 900);
    await api('/api/click', body);
  }

  // ---- composers ----

  function bindComposer(root, where) {
    const ta = $('textarea', root);
    const send = $('.send', root);
    const suggest = $('.suggest', root);
    let picked = -1;

    const grow = () => {
      ta.style.height = 'auto';
      ta.style.height = Math.min(ta.scrollHeight, 220) + 'px';
      send.disabled = ta.value.trim() === '';
    };
    const matches = () => {
      const v = ta.value;
      if (!v.startsWith('/') || v.includes('\n')) return [];
      const m = v.match(/^\/p?r?e?p?$/) ? '' : (v.match(/^\/prep\s+(.*)$/) || [])[1];
      if (m === undefined) return [];
      const word = m.trim().toLowerCase();
      return COMMANDS.filter(([c]) => c.startsWith(word) && c !== word).slice(0, 8);
    };
    const showSuggest = () => {
      const list = matches();
      if (!list.length) { suggest.hidden = true; picked = -1; return; }
      picked = Math.min(picked, list.length - 1);
      suggest.replaceChildren(h('div', { class: 'suggest-head' }, 'Commands matching ', h('b', {}, '/prep')),
        ...list.map(([c, d], i) => h('div', { class: 'suggest-item' + (i === picked ? ' picked' : ''), 'data-cmd': c },
          h('span', { class: 'suggest-cmd' }, '/prep ' + c), h('span', { class: 'suggest-desc' }, d))));
      suggest.hidden = false;
    };
    const fill = (cmd) => {
      ta.value = '/prep ' + cmd.replace(/ \[.*\]$/, '') + (cmd.includes('[') ? ' ' : '');
      suggest.hidden = true;
      picked = -1;
      ta.focus();
      grow();
    };
    suggest.addEventListener('mousedown', (e) => {
      const item = e.target.closest('[data-cmd]');
      if (item) { e.preventDefault(); fill(item.dataset.cmd); }
    });

    const submit = async () => {
      const text = ta.value.trim();
      if (!text) return;
      const w = where();
      hideToast();
      ta.value = '';
      grow();
      suggest.hidden = true;
      S.stick = true;
      let out;
      if (text.startsWith('/')) {
        out = await api('/api/command', { user: S.me, channel: w.channel, text });
      } else {
        out = await api('/api/message', { user: S.me, channel: w.channel, text, thread_ts: w.thread || '' });
      }
      if (!out) { ta.value = text; grow(); }
    };

    // Some input methods (and DevTools' key events) send Enter as a
    // separate keypress: it must not leave a newline behind either.
    ta.addEventListener('keypress', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) e.preventDefault();
    });
    ta.addEventListener('input', () => { grow(); showSuggest(); });
    ta.addEventListener('blur', () => setTimeout(() => { suggest.hidden = true; }, 150));
    ta.addEventListener('keydown', (e) => {
      const list = suggest.hidden ? [] : matches();
      if (list.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        picked = (picked + (e.key === 'ArrowDown' ? 1 : list.length - 1) + (picked < 0 && e.key === 'ArrowUp' ? 1 : 0)) % list.length;
        showSuggest();
        return;
      }
      if (list.length && e.key === 'Tab') {
        e.preventDefault();
        fill(list[Math.max(0, picked)][0]);
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (list.length && picked >= 0) { fill(list[picked][0]); return; }
        submit();
      }
      if (e.key === 'Escape') suggest.hidden = true;
    });
    send.addEventListener('click', submit);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
