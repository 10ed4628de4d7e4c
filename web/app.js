// aupc serve: live documents beside the questionnaire. The form works
// without this file (every button posts it); with it, each change asks the
// server for the chosen document and its checklist, and shows the notes
// beside the fields. Nothing is stored: every request carries the form.
'use strict';

(function () {
  const form = document.getElementById('profile');
  const frame = document.getElementById('doc');
  const check = document.getElementById('check');
  const tablist = document.getElementById('tabs');
  const status = document.getElementById('preview-status');
  const summary = document.getElementById('summary');
  const summaryList = document.getElementById('summary-list');
  const panel = document.getElementById('panel');
  if (!form || !frame || !tablist) return;

  // Notes are shown for what the reader has answered (and for everything
  // once the page has been checked), not all at once on an empty form.
  const touched = new Set();
  let showAll = !!document.querySelector('.note.error:not([hidden]), .summary:not([hidden])');
  const sections = { people: 'person.', contacts: 'contact.', technology: 'tech.',
    sanctions: 'ladder.', policies: 'policy.', consultation: 'consulted.',
    communication: 'tell.', audience: 'audience', statements: '' };

  function relevant(field) {
    if (showAll || !field) return true;
    const prefix = field in sections ? sections[field]
      : field.indexOf('.') < 0 ? field : field.slice(0, field.lastIndexOf('.') + 1);
    for (const t of touched) if (t === field || t.startsWith(prefix)) return true;
    return false;
  }

  let current = null;     // the audience id shown, or "changes"
  let timer = null;       // the debounce
  let inflight = null;    // the request under way, cancelled by a newer one
  let frameReady = null;  // resolves once /frame has loaded

  const selected = tablist.querySelector('[aria-selected="true"]');
  current = selected ? selected.value : null;

  frameReady = new Promise(function (resolve) {
    const d = frame.contentDocument;
    if (d && d.readyState === 'complete' && d.location.pathname === '/frame') resolve();
    else frame.addEventListener('load', function () { resolve(); }, { once: true });
  });

  function formData() {
    const fd = new FormData(form);
    fd.delete('upload');
    return fd;
  }

  // ---- notes beside the fields ----

  function clearNotes() {
    form.querySelectorAll('.note[id^="n-"]').forEach(function (n) {
      n.hidden = true;
      n.textContent = '';
      n.className = 'note';
    });
    form.querySelectorAll('p.note:not([id])').forEach(function (n) { n.remove(); });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (f) {
      f.removeAttribute('aria-invalid');
    });
  }

  function showNotes(notes) {
    clearNotes();
    summaryList.textContent = '';
    let errors = 0, waiting = 0;
    notes.forEach(function (n) {
      if (n.severity === 'error') errors++;
      if (!relevant(n.field)) {
        waiting++;
        return;
      }
      const slot = n.field ? document.getElementById('n-' + n.field) : null;
      const sectionSlot = !slot && n.field ? document.getElementById(n.field) : null;
      if (slot && slot.hidden) {
        slot.textContent = n.message;
        slot.className = 'note ' + (n.severity === 'error' ? 'error' : 'warning');
        slot.hidden = false;
        const field = document.getElementById('f-' + n.field);
        if (field && n.severity === 'error') field.setAttribute('aria-invalid', 'true');
      } else if (sectionSlot) {
        const p = document.createElement('p');
        p.className = 'note ' + (n.severity === 'error' ? 'error' : 'warning');
        p.textContent = n.message;
        const after = sectionSlot.querySelector('legend, h3') || sectionSlot.firstChild;
        sectionSlot.insertBefore(p, after ? after.nextSibling : null);
      }
      if (!showAll || (n.severity !== 'error' && (slot || sectionSlot))) return;
      const li = document.createElement('li');
      if (slot || sectionSlot) {
        const a = document.createElement('a');
        a.href = '#' + (slot ? 'f-' + n.field : n.field);
        a.textContent = n.message;
        li.appendChild(a);
      } else {
        li.textContent = n.message;
      }
      summaryList.appendChild(li);
    });
    summary.hidden = summaryList.children.length === 0;
    return { errors: errors, waiting: waiting };
  }

  // ---- tabs ----

  function tabButton(id, label) {
    const b = document.createElement('button');
    b.type = 'submit';
    b.setAttribute('form', 'profile');
    b.setAttribute('formaction', '/#preview-title');
    b.name = 'view';
    b.value = id;
    b.id = 'tab-' + id;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', 'panel');
    b.textContent = label;
    return b;
  }

  function showTabs(tabs, changes) {
    const want = tabs.map(function (t) { return t.id; });
    if (changes) want.push('changes');
    const have = Array.prototype.map.call(tablist.children, function (b) { return b.value; });
    if (want.join(' ') !== have.join(' ')) {
      tablist.textContent = '';
      tabs.forEach(function (t) { tablist.appendChild(tabButton(t.id, t.label)); });
      if (changes) tablist.appendChild(tabButton('changes', 'What changed'));
    }
    if (want.indexOf(current) < 0) current = want.length ? want[0] : null;
    Array.prototype.forEach.call(tablist.children, function (b) {
      const on = b.value === current;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
    });
    if (current) panel.setAttribute('aria-labelledby', 'tab-' + current);
    const open = panel.querySelector('.open button');
    if (open && current) open.setAttribute('formaction', '/document?audience=' + encodeURIComponent(current));
  }

  tablist.addEventListener('click', function (e) {
    const b = e.target.closest('[role="tab"]');
    if (!b) return;
    e.preventDefault();
    current = b.value;
    showTabs(Array.prototype.filter.call(tablist.children, function (x) { return x.value !== 'changes'; })
      .map(function (x) { return { id: x.value, label: x.textContent }; }),
    !!tablist.querySelector('[value="changes"]'));
    refresh();
  });

  tablist.addEventListener('keydown', function (e) {
    const tabs = Array.prototype.slice.call(tablist.children);
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = i;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    else return;
    e.preventDefault();
    tabs[j].focus();
    tabs[j].click();
  });

  // ---- the document ----

  function showDocument(html) {
    return frameReady.then(function () {
      const doc = frame.contentDocument;
      if (!doc) return;
      // Parsed in the frame's own window, so the document's stylesheet
      // falls under the frame's policy rather than the form's.
      const parsed = new frame.contentWindow.DOMParser().parseFromString(html, 'text/html');
      const y = frame.contentWindow.scrollY;
      doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
      frame.contentWindow.scrollTo(0, y);
      frame.setAttribute('data-audience', current || '');
    });
  }

  // data-busy on <body> while an update is due or under way: tests wait on it.
  function busy(on) {
    if (on) document.body.setAttribute('data-busy', '1');
    else document.body.removeAttribute('data-busy');
  }

  function refresh() {
    timer = null;
    busy(true);
    if (inflight) inflight.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    status.textContent = 'Updating…';
    const url = '/api/preview' + (current ? '?audience=' + encodeURIComponent(current) : '');
    fetch(url, { method: 'POST', body: formData(), credentials: 'same-origin', signal: ctrl.signal })
      .then(function (r) {
        if (!r.ok) throw new Error('the server answered ' + r.status);
        return r.json();
      })
      .then(function (j) {
        if (ctrl !== inflight) return;
        const count = showNotes(j.notes || []);
        const errors = count.errors;
        showTabs(j.tabs || [], j.changes);
        check.innerHTML = j.check || '';
        const done = j.html ? showDocument(j.html) : Promise.resolve();
        return done.then(function () {
          status.textContent = j.ok && j.html ? 'Up to date.'
            : count.waiting ? count.waiting + (count.waiting === 1 ? ' answer is' : ' answers are') +
              ' still needed before the documents can be made; each is marked once you reach it, ' +
              'or press Check my answers to list them.'
            : errors ? 'Correct the answers marked in the form to update the documents.'
            : j.ok ? 'Tick at least one reader under Documents to write.'
            : 'Waiting for a complete profile.';
          form.dispatchEvent(new CustomEvent('aupc:updated', { detail: j }));
          document.body.setAttribute('data-updated', String(Date.now()));
          if (!timer) busy(false);
        });
      })
      .catch(function (e) {
        if (e.name === 'AbortError') return;
        status.textContent = 'The documents could not be updated (' + e.message + ').';
        if (!timer) busy(false);
      });
  }

  function soon() {
    clearTimeout(timer);
    busy(true);
    timer = setTimeout(refresh, 250);
  }

  function edited(e) {
    const t = e.target;
    if (!t || !t.name || t.type === 'file') return;
    touched.add(t.name);
    if (t.name === 'name') suggestId(t.value);
    if (t.name === 'setting.id') idEdited = true;
    soon();
  }
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);

  // The short name for files follows the setting's name until edited.
  const idField = document.getElementById('f-setting.id');
  let idEdited = !!(idField && idField.value);
  function suggestId(name) {
    if (!idField || idEdited) return;
    idField.value = name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
    touched.add('setting.id');
  }

  refresh();
})();
