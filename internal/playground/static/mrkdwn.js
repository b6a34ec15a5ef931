// mrkdwn.js renders Slack's mrkdwn and Block Kit as HTML, the way the
// Slack client shows them: *bold*, _italic_, ~strike~, `code`, ```blocks```,
// > quotes, • lists, <url|links>, <@U…> mentions, :emoji: and the three
// entities (&amp; &lt; &gt;) Slack escapes. Every piece of text is
// HTML-escaped here; the only markup in the output is made by this file.
'use strict';

(function (global) {
  const EMOJI = {
    white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', thread: '🧵',
    writing_hand: '✍️', busts_in_silhouette: '👥', bust_in_silhouette: '👤', brain: '🧠',
    triangular_flag_on_post: '🚩', double_vertical_bar: '⏸️', tada: '🎉', wave: '👋', handshake: '🤝', clipboard: '📋', file_cabinet: '🗄️',
    calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️', bulb: '💡', memo: '📝', pencil: '📝',
    clock9: '🕘', alarm_clock: '⏰', hourglass: '⌛', hourglass_flowing_sand: '⏳', fire: '🔥',
    star: '⭐', star2: '🌟', sparkles: '✨', books: '📚', book: '📖', mag: '🔍', eyes: '👀',
    rocket: '🚀', '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', clap: '👏',
    raised_hands: '🙌', pray: '🙏', muscle: '💪', trophy: '🏆', medal: '🏅', dart: '🎯',
    chart_with_upwards_trend: '📈', bar_chart: '📊', lock: '🔒', key: '🔑', bell: '🔔',
    speech_balloon: '💬', question: '❓', grey_question: '❔', exclamation: '❗',
    information_source: 'ℹ️', point_right: '👉', point_up: '☝️', robot_face: '🤖',
    mortar_board: '🎓', school: '🏫', gear: '⚙️', wrench: '🔧', hammer_and_wrench: '🛠️',
    package: '📦', inbox_tray: '📥', outbox_tray: '📤', file_folder: '📁', page_facing_up: '📄',
    seedling: '🌱', repeat: '🔁', arrows_counterclockwise: '🔄', zap: '⚡', boom: '💥',
    no_entry: '⛔', no_entry_sign: '🚫', stop_sign: '🛑', smile: '😄', slightly_smiling_face: '🙂',
    thinking_face: '🤔', sunglasses: '😎', heart: '❤️', green_heart: '💚', blue_heart: '💙',
    white_circle: '⚪', large_green_circle: '🟢', large_yellow_circle: '🟡', red_circle: '🔴',
    arrow_right: '➡️', arrow_forward: '▶️', new: '🆕', wastebasket: '🗑️', calendar_spiral: '🗓️',
    stopwatch: '⏱️', trident: '🔱', label: '🏷️', pushpin: '📌', link: '🔗', speaking_head_in_silhouette: '🗣️',
  };

  const HOLD = '\u0001';

  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  // unent decodes the three entities Slack escapes; &amp; last, so that
  // "&amp;lt;" stays the text "&lt;".
  function unent(s) {
    return String(s).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }

  // ctx: { person(id) -> {name} | undefined, channel(id) -> name | undefined }
  let ctx = { person: () => undefined, channel: () => undefined };

  function setContext(c) { ctx = Object.assign({ person: () => undefined, channel: () => undefined }, c); }

  function emojiHTML(name) {
    const e = EMOJI[name];
    return e ? '<span class="emoji" title=":' + esc(name) + ':">' + e + '</span>' : null;
  }

  // emoji replaces :name: codes in already-escaped text.
  function emoji(s, hold) {
    return s.replace(/:([a-z0-9_+'-]+):/g, (m, name) => {
      const h = emojiHTML(name);
      return h ? hold(h) : m;
    });
  }

  // entity renders Slack's <…> syntax: links, mentions, broadcasts, dates.
  function entity(body) {
    const bar = body.indexOf('|');
    const target = bar >= 0 ? body.slice(0, bar) : body;
    const label = bar >= 0 ? unent(body.slice(bar + 1)) : '';
    const first = target.charAt(0);
    if (first === '@') {
      const p = ctx.person(target.slice(1));
      return '<span class="mk-mention">@' + esc(label || (p ? p.name : target.slice(1))) + '</span>';
    }
    if (first === '#') {
      const name = label || ctx.channel(target.slice(1)) || target.slice(1);
      return '<span class="mk-mention">#' + esc(name) + '</span>';
    }
    if (first === '!') {
      const k = target.slice(1);
      if (k === 'here' || k === 'channel' || k === 'everyone') {
        return '<span class="mk-mention mk-broadcast">@' + esc(k) + '</span>';
      }
      if (k.startsWith('subteam^')) return '<span class="mk-mention">@' + esc(label || 'group') + '</span>';
      return esc(label || k);
    }
    if (/^(https?:\/\/|mailto:)/i.test(target)) {
      const href = unent(target);
      const text = label || href.replace(/^mailto:/i, '');
      return '<a class="mk-link" href="' + esc(href) + '" target="_blank" rel="noopener noreferrer">' + esc(text) + '</a>';
    }
    return esc('<' + unent(body) + '>');
  }

  // Characters that may stand next to a formatting marker on the outside.
  const OUTSIDE = '\\s\\u0001<>()\\[\\]{}"\'.,;:!?\\u2014\\u2013\\-/';

  function marker(ch, tag) {
    const c = '\\' + ch;
    return [
      new RegExp('(^|[' + OUTSIDE + '])' + c + '(?!\\s)([^' + c + '\\n]*?[^\\s' + c + '])' + c + '(?=$|[' + OUTSIDE + '])', 'g'),
      '$1<' + tag + '>$2</' + tag + '>',
    ];
  }
  const MARKERS = [marker('*', 'b'), marker('_', 'i'), marker('~', 's')];

  // inline renders one line: code spans and <…> first (nothing inside them
  // is formatted), then emoji, then bold, italic and strike.
  function inline(s) {
    const held = [];
    const hold = (html) => HOLD + (held.push(html) - 1) + HOLD;
    s = s.replace(/`([^`\n]+)`/g, (_, code) => hold('<code class="mk-code">' + esc(unent(code)) + '</code>'));
    s = s.replace(/<([^<>\n]+)>/g, (_, body) => hold(entity(body)));
    s = esc(unent(s));
    s = emoji(s, hold);
    for (const [re, rep] of MARKERS) {
      // Twice, so that *bold _italic_* and adjacent runs both resolve.
      s = s.replace(re, rep).replace(re, rep);
    }
    let prev;
    do {
      prev = s;
      s = s.replace(/\u0001(\d+)\u0001/g, (_, i) => held[+i]);
    } while (s !== prev && s.includes(HOLD));
    return s;
  }

  // lines renders text without code blocks: one block per line, quotes
  // grouped, list items with a hanging indent.
  function lines(text) {
    let html = '';
    let quote = [];
    const flush = () => {
      if (quote.length) {
        html += '<blockquote class="mk-quote">' + quote.map((q) => '<div class="mk-line">' + (inline(q) || '<br>') + '</div>').join('') + '</blockquote>';
        quote = [];
      }
    };
    for (const ln of text.split('\n')) {
      const q = ln.match(/^(?:&gt;|>) ?(.*)$/);
      if (q) { quote.push(q[1]); continue; }
      flush();
      const li = ln.match(/^(\s*)(•|◦|▪|\d{1,3}\.)\s+(.*)$/);
      if (li) {
        const depth = Math.min(3, Math.floor(li[1].length / 2));
        html += '<div class="mk-li mk-d' + depth + '"><span class="mk-bullet">' + esc(li[2]) + '</span><span class="mk-li-text">' + inline(li[3]) + '</span></div>';
      } else if (ln.trim() === '') {
        html += '<div class="mk-line mk-empty"><br></div>';
      } else {
        html += '<div class="mk-line">' + inline(ln) + '</div>';
      }
    }
    flush();
    return html;
  }

  // mrkdwn renders a whole mrkdwn text.
  function mrkdwn(text) {
    if (text == null || text === '') return '';
    const parts = String(text).split('```');
    if (parts.length % 2 === 0) {
      // An unclosed fence is text, as in Slack.
      const last = parts.pop();
      parts[parts.length - 1] += '```' + last;
    }
    let html = '';
    parts.forEach((part, i) => {
      if (i % 2 === 1) {
        html += '<pre class="mk-pre">' + esc(unent(part.replace(/^\n/, '').replace(/\n$/, ''))) + '</pre>';
        return;
      }
      let t = part;
      if (i > 0) t = t.replace(/^\n/, '');
      if (i < parts.length - 1) t = t.replace(/\n$/, '');
      if (t !== '') html += lines(t);
    });
    return html;
  }

  // plain renders a plain_text object (emoji codes only).
  function plain(obj) {
    if (!obj) return '';
    const held = [];
    const hold = (html) => HOLD + (held.push(html) - 1) + HOLD;
    let s = esc(obj.text || '');
    if (obj.emoji !== false) s = emoji(s, hold);
    return s.replace(/\u0001(\d+)\u0001/g, (_, i) => held[+i]);
  }

  // text renders a text object of either type.
  function textObject(obj) {
    if (!obj) return '';
    return obj.type === 'mrkdwn' ? mrkdwn(obj.text) : '<div class="mk-line mk-plain">' + plain(obj).replace(/\n/g, '<br>') + '</div>';
  }

  // button renders a Block Kit button with its data for the click handler.
  function button(el, blockID) {
    const style = el.style === 'primary' ? ' bk-primary' : el.style === 'danger' ? ' bk-danger' : '';
    const attrs = [
      'type="button"',
      'class="bk-btn' + style + '"',
      'data-action-id="' + esc(el.action_id || '') + '"',
      'data-block-id="' + esc(blockID || '') + '"',
      'data-value="' + esc(el.value || '') + '"',
      'data-text="' + esc((el.text && el.text.text) || '') + '"',
    ];
    if (el.url) attrs.push('data-url="' + esc(el.url) + '"');
    if (el.confirm) attrs.push('data-confirm="' + esc(JSON.stringify(el.confirm)) + '"');
    return '<button ' + attrs.join(' ') + '>' + plain(el.text) + '</button>';
  }

  function element(el, blockID) {
    switch (el && el.type) {
      case 'button':
        return button(el, blockID);
      case 'image':
        return '<img class="bk-img-acc" alt="' + esc(el.alt_text || '') + '" src="' + esc(safeImage(el.image_url)) + '">';
      case 'static_select':
      case 'external_select':
      case 'users_select':
      case 'conversations_select':
      case 'channels_select':
        return '<span class="bk-select">' + plain(el.placeholder || { text: 'Select an item' }) + ' ▾</span>';
      case 'overflow':
        return '<span class="bk-overflow">⋮</span>';
      default:
        return '';
    }
  }

  function safeImage(url) {
    return /^(https?:|data:image\/)/i.test(url || '') ? url : '';
  }

  // blocks renders a list of Block Kit blocks. Input blocks are rendered
  // as form fields (modals); errors maps block_id to a message.
  function blocks(list, errors) {
    if (!Array.isArray(list)) return '';
    return list.map((b) => block(b, errors || {})).join('');
  }

  function block(b, errors) {
    if (!b || typeof b !== 'object') return '';
    const id = b.block_id || '';
    switch (b.type) {
      case 'header':
        return '<div class="bk-header">' + plain(b.text) + '</div>';
      case 'section': {
        let inner = '<div class="bk-section-main">';
        if (b.text) inner += '<div class="bk-text">' + textObject(b.text) + '</div>';
        if (Array.isArray(b.fields) && b.fields.length) {
          inner += '<div class="bk-fields">' + b.fields.map((f) => '<div class="bk-field">' + textObject(f) + '</div>').join('') + '</div>';
        }
        inner += '</div>';
        if (b.accessory) inner += '<div class="bk-accessory">' + element(b.accessory, id) + '</div>';
        return '<div class="bk-section">' + inner + '</div>';
      }
      case 'context':
        return '<div class="bk-context">' + (b.elements || []).map((e) => {
          if (e.type === 'image') return '<img class="bk-ctx-img" alt="' + esc(e.alt_text || '') + '" src="' + esc(safeImage(e.image_url)) + '">';
          return '<span class="bk-ctx-text">' + (e.type === 'mrkdwn' ? mrkdwn(e.text) : plain(e)) + '</span>';
        }).join('') + '</div>';
      case 'actions':
        return '<div class="bk-actions">' + (b.elements || []).map((e) => element(e, id)).join('') + '</div>';
      case 'divider':
        return '<hr class="bk-divider">';
      case 'image':
        return '<figure class="bk-image">' + (b.title ? '<figcaption>' + plain(b.title) + '</figcaption>' : '') +
          '<img alt="' + esc(b.alt_text || '') + '" src="' + esc(safeImage(b.image_url)) + '"></figure>';
      case 'input':
        return input(b, errors[id]);
      case 'rich_text':
        return '<div class="bk-text">' + mrkdwn(richText(b)) + '</div>';
      default:
        return '<div class="bk-unknown">[' + esc(b.type || 'unknown') + ' block]</div>';
    }
  }

  // richText flattens a rich_text block to mrkdwn (enough to read it).
  function richText(b) {
    const walk = (els) => (els || []).map((e) => {
      if (e.type === 'text') return e.text || '';
      if (e.type === 'link') return '<' + (e.url || '') + (e.text ? '|' + e.text : '') + '>';
      if (e.type === 'user') return '<@' + e.user_id + '>';
      if (e.type === 'emoji') return ':' + e.name + ':';
      return walk(e.elements);
    }).join('');
    return walk(b.elements);
  }

  function input(b, error) {
    const id = b.block_id || '';
    const el = b.element || {};
    const action = el.action_id || id;
    const fid = 'f-' + id.replace(/[^A-Za-z0-9_-]/g, '_');
    let html = '<div class="bk-input' + (error ? ' has-error' : '') + '" data-block-id="' + esc(id) + '" data-action-id="' + esc(action) + '">';
    const labelFor = el.type === 'radio_buttons' ? fid + '-0' : fid;
    html += '<label class="bk-label" for="' + esc(labelFor) + '">' + plain(b.label) + (b.optional ? ' <span class="bk-optional">(optional)</span>' : '') + '</label>';
    const ph = el.placeholder ? ' placeholder="' + esc(el.placeholder.text || '') + '"' : '';
    const max = el.max_length ? ' maxlength="' + (+el.max_length || 0) + '"' : '';
    const initial = el.initial_option ? el.initial_option.value : undefined;
    if (el.type === 'static_select' && Array.isArray(el.options)) {
      html += '<select class="bk-control" id="' + esc(fid) + '" name="' + esc(action) + '"><option value="">' +
        (el.placeholder ? esc(el.placeholder.text || '') : '') + '</option>' +
        el.options.map((o) => '<option value="' + esc(o.value || '') + '"' + (o.value === initial ? ' selected' : '') + '>' + plain(o.text) + '</option>').join('') + '</select>';
    } else if (el.type === 'radio_buttons' && Array.isArray(el.options)) {
      // A group of radios is one control: its value is the checked one's.
      html += '<div class="bk-control bk-radios" role="radiogroup" id="' + esc(fid) + '">' +
        el.options.map((o, i) => '<label class="bk-radio"><input type="radio" name="' + esc(fid) + '" value="' + esc(o.value || '') + '"' +
          (o.value === initial ? ' checked' : '') + (i === 0 ? ' id="' + esc(fid) + '-0"' : '') + '> <span>' + plain(o.text) + '</span></label>').join('') + '</div>';
    } else if (el.multiline) {
      html += '<textarea class="bk-control" rows="4" id="' + esc(fid) + '" name="' + esc(action) + '"' + ph + max + '>' + esc(el.initial_value || '') + '</textarea>';
    } else {
      html += '<input class="bk-control" type="text" id="' + esc(fid) + '" name="' + esc(action) + '" value="' + esc(el.initial_value || '') + '"' + ph + max + '>';
    }
    if (error) html += '<div class="bk-error">' + esc(error) + '</div>';
    if (b.hint) html += '<div class="bk-hint">' + plain(b.hint) + '</div>';
    return html + '</div>';
  }

  global.Mrkdwn = { mrkdwn, plain, blocks, esc, setContext };
})(window);
