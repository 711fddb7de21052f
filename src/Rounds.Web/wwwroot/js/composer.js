// Live check for the composer: as the writer types, each chosen account's copy is measured against its network
// and screened by the server (the same rules that decide on submit), and the findings are marked in the text.
// Without scripts the "Check" button does the same through the form. Pages arrive by full loads and by Blazor's
// enhanced navigation, which does not run scripts in the new page, so this file is loaded once by the layout.
function roundsComposer() {
  const form = document.getElementById('composer');
  const panel = document.getElementById('live-check');
  if (!form || !panel || form.dataset.live) return;
  form.dataset.live = 'on';
  const url = form.dataset.checkUrl;
  let timer = 0;
  let sequence = 0;

  function input() {
    const accounts = [];
    const variants = {};
    form.querySelectorAll('.account-choice').forEach(box => {
      if (box.checked) accounts.push(box.dataset.account);
    });
    form.querySelectorAll('.variant').forEach(area => {
      if (accounts.includes(area.dataset.account) && area.value.trim()) variants[area.dataset.account] = area.value;
    });
    return { text: document.getElementById('post-text').value, accounts, variants };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Findings may overlap; each character is marked by the first finding that covers it.
  function highlighted(text, findings) {
    const paragraph = element('p', 'screened-text');
    const owner = new Array(text.length).fill(-1);
    findings.forEach((finding, index) => {
      if (finding.start == null || finding.end == null) return;
      for (let i = finding.start; i < finding.end && i < text.length; i++) if (owner[i] < 0) owner[i] = index;
    });
    let start = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i === text.length || owner[i] !== owner[start]) {
        const piece = text.slice(start, i);
        const index = owner[start];
        if (index < 0) {
          paragraph.append(piece);
        } else {
          const mark = element('mark', 'finding-' + findings[index].category, piece);
          mark.append(element('sup', '', String(index + 1)));
          paragraph.append(mark);
        }
        start = i;
      }
    }
    return paragraph;
  }

  // A blocked copy cannot go to review, so the button says so rather than failing after a click.
  function explainSubmit(copies) {
    const button = document.getElementById('submit-post');
    const why = document.getElementById('submit-why');
    if (!button || !why) return;
    const blocked = copies.filter(c => c.screening.verdict === 'block').map(c => c.handle);
    button.disabled = blocked.length > 0;
    why.textContent = blocked.length > 0
      ? 'Submitting is off: screening blocks the copy for ' + blocked.join(', ') + '. Change the marked words, or save the draft and ask a reviewer to override.'
      : '';
  }

  function render(copies, sent) {
    explainSubmit(copies);
    const heading = panel.querySelector('h2');
    panel.replaceChildren(heading);
    if (copies.length === 0) {
      panel.append(element('p', 'text-muted', 'Choose accounts and write the text; each copy\u2019s length and screening show here.'));
      return;
    }
    copies.forEach(copy => {
      const box = element('div', 'copy-check');
      const title = element('h3', 'fs-6', copy.handle + ' (' + copy.network + '): ');
      title.append(element('span', copy.fits ? '' : 'text-danger', copy.length + ' / ' + copy.maxLength));
      title.append(', ');
      title.append(element('span', 'verdict verdict-' + copy.screening.verdict, copy.screening.verdict));
      box.append(title);
      const findings = copy.screening.findings;
      if (findings.length > 0) {
        const text = sent.variants[copy.account] || sent.text.trim();
        box.append(highlighted(text, findings));
        const list = element('ol', 'findings');
        findings.forEach(f => list.append(element('li', '', f.type + ': ' + f.message + ' ' + f.suggestion)));
        box.append(list);
      }
      // A link to a release still under embargo: the server words it, with the lift instant.
      (copy.embargoes || []).forEach(e => box.append(element('p', 'embargo-warning text-danger', e.message)));
      panel.append(box);
    });
  }

  async function check() {
    const mine = ++sequence;
    const sent = input();
    if (sent.accounts.length === 0) {
      render([], sent);
      return;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(sent),
      });
      // A slower answer to an older keystroke must not overwrite a newer one.
      if (!response.ok || mine !== sequence) return;
      render(await response.json(), sent);
    } catch {
      // Offline or the server is busy: the Check button and the save still screen the post.
    }
  }

  // The previews are laid out by the server (the same component the pages render), so the browser only swaps them in.
  const previews = document.getElementById('preview-list');
  const previewUrl = document.getElementById('previews')?.dataset.previewUrl;
  let previewSequence = 0;

  async function preview() {
    if (!previews || !previewUrl) return;
    const mine = ++previewSequence;
    const sent = input();
    const post = document.getElementById('previews').dataset.post;
    if (post) sent.post = post;
    try {
      const response = await fetch(previewUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'text/html' },
        body: JSON.stringify(sent),
      });
      if (!response.ok || mine !== previewSequence) return;
      previews.innerHTML = await response.text();
    } catch {
      // The Check button lays the previews out again through the form.
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => { check(); preview(); }, 350);
  }

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
}

document.addEventListener('DOMContentLoaded', roundsComposer);
if (window.Blazor) window.Blazor.addEventListener('enhancedload', roundsComposer);
