// aupc serve in a real browser. Starts `aupc serve` on a free port, drives
// Debian's chromium with puppeteer-core and checks:
//   1. a new school filled in from a blank form gets its documents;
//   2. the Key Stage 2 preview changes when the phone policy changes, and
//      shows what `aupc compile` writes for the profile;
//   3. the zip downloaded holds exactly what `aupc compile` writes for the
//      profile downloaded beside it;
//   4. an example profile uploaded fills the form, and "What changed" shows
//      `aupc diff` of it against the edited answers;
//   5. axe-core finds no WCAG 2.2 AA violation on the form or the preview.
// Usage: node serve.js AUPC-BINARY SOURCE-ROOT [--screenshot FILE.png]
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [aupc, root] = process.argv.slice(2, 4);
const shotAt = process.argv.indexOf('--screenshot');
const screenshot = shotAt > 0 ? process.argv[shotAt + 1] : null;
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aupc-browser-'));
let failures = 0;

function check(ok, what) {
  console.log((ok ? 'ok     ' : 'FAILED ') + what);
  if (!ok) failures++;
}

function startServer() {
  return new Promise(function (resolve, reject) {
    const child = spawn(aupc, ['serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', function (d) {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve({ child: child, url: m[1] });
    });
    child.on('exit', function (code) { reject(new Error('aupc serve exited with ' + code)); });
  });
}

// Wait until the page has updated since SINCE and nothing more is due.
async function waitUpdated(page, since) {
  await page.waitForFunction(function (t) {
    return Number(document.body.getAttribute('data-updated') || 0) > t &&
      !document.body.hasAttribute('data-busy');
  }, { timeout: 30000 }, since);
}

async function updatedAt(page) {
  return page.evaluate(function () { return Number(document.body.getAttribute('data-updated') || 0); });
}

async function status(page) {
  return page.$eval('#preview-status', function (e) { return e.textContent; });
}

async function frameText(page) {
  const frame = page.frames().find(function (f) { return f.url().endsWith('/frame'); });
  return frame.evaluate(function () { return document.documentElement.outerHTML; });
}

async function type(page, field, text) {
  const sel = '[id="f-' + field + '"]';
  await page.$eval(sel, function (e) { e.value = ''; });
  await page.type(sel, text);
}

async function choose(page, field, value) {
  await page.select('[id="f-' + field + '"]', value);
}

async function tick(page, name, value) {
  await page.$eval('input[name="' + name + '"][value="' + value + '"]', function (e) {
    if (!e.checked) e.click();
  });
}

async function date(page, field, iso) {
  await page.$eval('[id="f-' + field + '"]', function (e, v) {
    e.value = v;
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, iso);
}

async function axe(frame, what) {
  await frame.evaluate(axeSource);
  const r = await frame.evaluate(function () {
    return window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
      // Only violations are reported in full; passes are counted, which
      // is most of the time axe takes on a form this size.
      resultTypes: ['violations'],
    });
  });
  const v = r.violations.map(function (x) {
    return x.id + ' (' + x.impact + '): ' + x.help + ' at ' +
      x.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join('; ');
  });
  check(v.length === 0, 'axe-core: no WCAG 2.2 AA violation on ' + what +
    (v.length ? '\n        ' + v.join('\n        ') : ''));
}

// The row of the contacts list whose service is ROLE.
async function contactRow(page, role) {
  return page.evaluate(function (r) {
    const sel = Array.prototype.find.call(document.querySelectorAll('select[name^="contact."][name$=".role"]'),
      function (s) { return s.value === r; });
    return sel ? sel.name.split('.')[1] : null;
  }, role);
}

async function ladderRow(page, kind) {
  return page.evaluate(function (k) {
    const sel = Array.prototype.find.call(document.querySelectorAll('select[name^="ladder."][name$=".audience"]'),
      function (s) { return s.value === k; });
    return sel ? sel.name.split('.')[1] : null;
  }, kind);
}

async function fillNewSchool(page) {
  await type(page, 'name', 'Hazel Lane Primary School');
  await choose(page, 'kind', 'primary');
  await choose(page, 'ages.from', '4');
  await choose(page, 'ages.to', '11');
  await type(page, 'setting.version', '2026.1');
  await type(page, 'person.dsl.name', 'Ms Amara Jones');
  await type(page, 'person.dsl.email', 'dsl@hazel-lane.example');
  await type(page, 'person.head.name', 'Mr Peter Quill');
  const contacts = [
    ['police', 'Police (non-emergency)', 'phone', '101'],
    ['ceop', 'CEOP Safety Centre', 'web', 'https://www.ceop.police.uk/safety-centre/'],
    ['iwf', 'Internet Watch Foundation', 'web', 'https://report.iwf.org.uk/'],
    ['safeguarding-partnership', 'Hazeldene Safeguarding Children Partnership', 'phone', '01632 960600'],
  ];
  for (const [role, name, field, value] of contacts) {
    const row = await contactRow(page, role);
    await type(page, 'contact.' + row + '.name', name);
    await type(page, 'contact.' + row + '.' + field, value);
  }
  await tick(page, 'tech.internet', 'true');
  await tick(page, 'tech.email', 'true');
  await type(page, 'tech.email.name', 'Hazel Lane Mail');
  await tick(page, 'devices.pupils', 'banned');
  await tick(page, 'devices.staff', 'approved-use');
  await type(page, 'monitoring.filtering-provider', 'Hazeldene Schools Filtering');
  await tick(page, 'monitoring.accredited', 'true');
  await tick(page, 'monitoring.what', 'web');
  await tick(page, 'monitoring.what', 'email');
  const steps = {
    pupil: 'A reminder of the rules\nTime away from the computer\nA meeting with parents or carers',
    staff: 'A conversation with the head\nAction under the disciplinary procedure',
    parent: 'A meeting with the head',
  };
  for (const kind of Object.keys(steps)) {
    const row = await ladderRow(page, kind);
    await type(page, 'ladder.' + row + '.steps', steps[kind]);
  }
  await tick(page, 'audience', 'pupil-ks2');
  await tick(page, 'audience', 'staff');
  await tick(page, 'audience', 'parent');
  await date(page, 'review.approved', '2026-09-07');
  await type(page, 'review.by', 'The governing board');
  await date(page, 'review.next', '2027-09-06');
}

async function download(page, client, button, name) {
  const dir = fs.mkdtempSync(path.join(tmp, 'dl-'));
  await client.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  await page.click(button);
  const deadline = Date.now() + 60000;
  for (;;) {
    const files = fs.readdirSync(dir).filter(function (f) { return !f.endsWith('.crdownload'); });
    if (files.length) return path.join(dir, files[0]);
    if (Date.now() > deadline) throw new Error('no download of ' + name);
    await new Promise(function (r) { setTimeout(r, 100); });
  }
}

async function run() {
  const server = await startServer();
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    protocolTimeout: 300000,
    userDataDir: path.join(tmp, 'profile'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const client = await browser.target().createCDPSession();
    const errors = [];
    page.on('pageerror', function (e) { errors.push(e.message); });
    if (process.env.DEBUG) page.on('response', function (r) { console.log('response', r.status(), r.url(), r.headers()['content-disposition'] || ''); });
    page.on('console', function (m) {
      if (m.type() === 'error') errors.push(m.text() + ' (' + (m.location().url || page.url()) + ')');
    });

    // 1. From blank.
    await page.goto(server.url, { waitUntil: 'networkidle0' });
    check(/still needed|Waiting/.test(await status(page)), 'a blank form asks for answers, quietly: ' + await status(page));
    check(await page.$eval('#summary', function (e) { return e.hidden; }), 'no wall of errors on a blank form');
    await axe(page.mainFrame(), 'the blank form');
    let t = await updatedAt(page);
    await fillNewSchool(page);
    await waitUpdated(page, t);
    await page.waitForFunction(function () {
      return document.getElementById('preview-status').textContent === 'Up to date.';
    }, { timeout: 30000 }).catch(function () {});
    check(await status(page) === 'Up to date.', 'the new school\'s documents are made: ' + await status(page));
    const id = await page.$eval('[id="f-setting.id"]', function (e) { return e.value; });
    check(id === 'hazel-lane-primary-school', 'the short name follows the name: ' + id);
    const tabs = await page.$$eval('[role="tab"]', function (b) { return b.map(function (x) { return x.value; }); });
    check(tabs.join(' ') === 'pupil-ks2 staff parent', 'a tab per audience: ' + tabs.join(' '));

    // 2. The Key Stage 2 preview follows the phone policy.
    await page.click('[id="tab-pupil-ks2"]');
    await waitUpdated(page, await updatedAt(page) - 1);
    const before = await frameText(page);
    check(/Hazel Lane Primary School/.test(before), 'the KS2 preview is the new school\'s');
    t = await updatedAt(page);
    await tick(page, 'devices.pupils', 'encouraged');
    await waitUpdated(page, t);
    const after = await frameText(page);
    check(before !== after, 'the KS2 preview changes when pupils\' phones go from banned to encouraged');
    await axe(page.mainFrame(), 'the filled form with its preview');
    const frame = page.frames().find(function (f) { return f.url().endsWith('/frame'); });
    await axe(frame, 'the Key Stage 2 preview');

    // 3. Files out: the profile and the zip, held to aupc compile.
    const xml = await download(page, client, 'button[formaction="/profile.xml"]', 'the profile');
    const zip = await download(page, client, 'button[formaction="/documents.zip"]', 'the zip');
    const cli = path.join(tmp, 'cli');
    const unz = path.join(tmp, 'zip');
    execFileSync(aupc, ['compile', '-q', '-o', cli, xml]);
    fs.mkdirSync(unz);
    execFileSync('unzip', ['-q', zip, '-d', unz]);
    let same = true;
    try { execFileSync('diff', ['-r', unz, cli]); } catch (e) { same = false; console.log(String(e.stdout)); }
    check(same, 'the zip holds exactly what aupc compile writes for the downloaded profile');
    const html = fs.readFileSync(path.join(cli, 'hazel-lane-primary-school', 'pupil-ks2.html'), 'utf8');
    const title = html.match(/<title>[^<]*<\/title>/)[0];
    check(after.indexOf(title) >= 0 && /encouraged|bring|own/i.test(after),
      'the preview is aupc compile\'s page for the downloaded profile');
    const again = path.join(tmp, 'again.xml');
    execFileSync(aupc, ['check', xml], { stdio: 'ignore' });
    fs.copyFileSync(xml, again);
    check(fs.readFileSync(xml, 'utf8').startsWith('<?xml'), 'the profile is XML');

    // 4. Next year: upload an example, change it, see what changed.
    await page.goto(server.url, { waitUntil: 'networkidle0' });
    const input = await page.$('#f-upload');
    await input.uploadFile(path.join(root, 'examples', 'oakfield-primary.xml'));
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('button[formaction="/upload"]')]);
    const name = await page.$eval('#f-name', function (e) { return e.value; });
    check(name === 'Oakfield Primary School', 'the upload fills the form: ' + name);
    await page.waitForFunction(function () {
      return document.getElementById('preview-status').textContent === 'Up to date.';
    }, { timeout: 30000 }).catch(function () {});
    if (screenshot) await page.screenshot({ path: screenshot });
    t = await updatedAt(page);
    await tick(page, 'devices.pupils', 'approved-use');
    await waitUpdated(page, t);
    t = await updatedAt(page);
    await page.click('[id="tab-changes"]');
    await waitUpdated(page, t);
    const diff = await frameText(page);
    check(/Changes/.test(diff) && /approved-use/.test(diff), 'What changed shows the new phone rule');
    await axe(page.frames().find(function (f) { return f.url().endsWith('/frame'); }), 'the What changed tab');
    check(errors.length === 0, 'no script errors' + (errors.length ? ': ' + errors.join('; ') : ''));

    // 6. Without JavaScript the form still works by plain posts.
    const plain = await browser.newPage();
    await plain.setJavaScriptEnabled(false);
    await plain.setViewport({ width: 1400, height: 1000 });
    await plain.goto(server.url, { waitUntil: 'networkidle0' });
    const upload = await plain.$('#f-upload');
    await upload.uploadFile(path.join(root, 'examples', 'oakfield-primary.xml'));
    await Promise.all([plain.waitForNavigation(), plain.click('button[formaction="/upload"]')]);
    await Promise.all([plain.waitForNavigation(), plain.click('[id="tab-staff"]')]);
    const checklist = await plain.$eval('#check', function (e) { return e.textContent; });
    check(/Checklist: \d+ of \d+ principles met/.test(checklist) &&
      await plain.$eval('[id="tab-staff"]', function (e) { return e.getAttribute('aria-selected'); }) === 'true',
      'without JavaScript a tab is a post that shows that audience\'s checklist');
    await plain.$eval('#f-name', function (e) { e.value = ''; });
    await Promise.all([plain.waitForNavigation(), plain.click('button[name="action"][value="check"]')]);
    const note = await plain.$eval('[id="n-name"]', function (e) { return e.hidden ? '' : e.textContent; });
    check(/the text of <name> is too short/.test(note), 'without JavaScript the error is beside its field: ' + note);
    // axe-core is a script: the page, made without one, is checked as it stands.
    await plain.setJavaScriptEnabled(true);
    await axe(plain.mainFrame(), 'the form with its errors, without JavaScript');
    await plain.close();
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}

run().then(function () {
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(failures ? failures + ' browser check(s) failed' : 'every browser check passed');
  process.exit(failures ? 1 : 0);
}, function (e) {
  console.log('FAILED ' + (e && e.stack || e));
  process.exit(1);
});
