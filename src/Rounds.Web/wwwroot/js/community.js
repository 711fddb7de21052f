// The board's editor, made quicker by scripts but never needing them: typing @ and the start of a handle offers
// the members and groups the writer may mention (from the board's mentions endpoint), and the Preview button shows
// the post in place (from the preview endpoint, rendered by the server exactly as a posted one) instead of
// reloading the page. Without scripts, handles are typed in full and Preview goes through the form.
function roundsCommunity() {
  document.querySelectorAll('textarea[data-mentions-url]').forEach(mentions);
  document.querySelectorAll('button[data-preview-url]').forEach(preview);
}

function mentions(box) {
  // Blazor's enhanced updates keep the box but drop what the server did not render; the list is put back.
  if (box.roundsMentions) {
    box.roundsMentions();
    return;
  }
  const list = document.createElement('ul');
  list.id = box.id + '-mentions';
  list.className = 'mention-list list-unstyled';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'People and groups to mention');
  list.hidden = true;
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  function attach() {
    if (!list.isConnected) box.after(list, status);
    box.setAttribute('aria-autocomplete', 'list');
    box.setAttribute('aria-controls', list.id);
  }
  box.roundsMentions = attach;
  attach();
  let offered = [];
  let active = -1;
  let sequence = 0;
  let timer = 0;

  // The handle being typed: an @ at the start or after a space or punctuation, as the server reads mentions.
  function typed() {
    const before = box.value.slice(0, box.selectionStart);
    const match = /(^|[^\w@/])@([A-Za-z0-9_]{1,40})$/.exec(before);
    return match ? { prefix: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close() {
    offered = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    box.removeAttribute('aria-activedescendant');
  }

  function highlight(index) {
    active = index;
    list.querySelectorAll('[role=option]').forEach((option, i) => option.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    if (index >= 0) box.setAttribute('aria-activedescendant', list.id + '-' + index);
  }

  function choose(index) {
    const at = typed();
    const pick = offered[index];
    if (!at || !pick) return;
    const rest = box.value.slice(box.selectionStart);
    const inserted = '@' + pick.handle + (rest.startsWith(' ') ? '' : ' ');
    box.value = box.value.slice(0, at.start) + inserted + rest;
    const caret = at.start + inserted.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  function show(suggestions) {
    offered = suggestions;
    list.replaceChildren();
    suggestions.forEach((suggestion, index) => {
      const option = document.createElement('li');
      option.id = list.id + '-' + index;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.className = 'mention-option';
      const handle = document.createElement('strong');
      handle.textContent = '@' + suggestion.handle;
      option.append(handle, ' ' + suggestion.name + (suggestion.kind === 'group' ? ' (group)' : ''));
      // Chosen on mousedown, before the box loses focus and the list closes.
      option.addEventListener('mousedown', event => {
        event.preventDefault();
        choose(index);
      });
      list.append(option);
    });
    list.hidden = suggestions.length === 0;
    status.textContent = suggestions.length === 0 ? '' : suggestions.length + (suggestions.length === 1 ? ' suggestion' : ' suggestions') + '; arrow keys to choose, Enter to insert.';
    highlight(suggestions.length > 0 ? 0 : -1);
  }

  async function suggest() {
    const at = typed();
    if (!at) {
      close();
      return;
    }
    const mine = ++sequence;
    try {
      const response = await fetch(box.dataset.mentionsUrl + '?q=' + encodeURIComponent(at.prefix), {
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json' },
      });
      // A slower answer to an older keystroke must not replace a newer one.
      if (!response.ok || mine !== sequence) return;
      show(await response.json());
    } catch {
      // Offline or busy: the handle can still be typed in full.
    }
  }

  box.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  box.addEventListener('keydown', event => {
    if (list.hidden || offered.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      highlight((active + step + offered.length) % offered.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(Math.max(active, 0));
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  box.addEventListener('blur', () => setTimeout(close, 100));
}

function preview(button) {
  if (button.roundsPreview) return;
  button.roundsPreview = true;
  button.addEventListener('click', async event => {
    const box = document.getElementById(button.dataset.previewOf);
    const panel = document.getElementById(button.dataset.previewIn);
    if (!box || !panel) return;
    event.preventDefault();
    const body = panel.querySelector('.post-body');
    const sent = { body: box.value };
    if (button.dataset.topic) sent.topicId = button.dataset.topic;
    try {
      const response = await fetch(button.dataset.previewUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(sent),
      });
      const answer = await response.json();
      if (response.ok) {
        // The server sanitized it, as it does every post.
        body.innerHTML = answer.html;
      } else {
        const errors = answer.errors ? Object.values(answer.errors).flat() : [];
        body.textContent = errors[0] || answer.detail || 'Nothing to preview.';
      }
      panel.hidden = false;
    } catch {
      // The server cannot be reached: let the form ask for the preview instead.
      button.form.requestSubmit(button);
    }
  });
}

document.addEventListener('DOMContentLoaded', roundsCommunity);
if (window.Blazor) window.Blazor.addEventListener('enhancedload', roundsCommunity);
