// npm records only the platform packages its registry serves; the registry reachable here serves
// no darwin/win32/... builds, and `npm ci` then calls the lockfile out of sync. This adds entries
// for the missing optional platform packages, with os/cpu so that npm skips them. Idempotent.
const fs = require('fs');
const file = process.argv[2] || 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const P = lock.packages;
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  'arm-': 'arm',
  arm: 'arm',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  wasm32: 'wasm32',
};
let added = 0;
for (const [key, entry] of Object.entries({ ...P })) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies || {})) {
    let base = key,
      found = false;
    for (;;) {
      if (P[(base ? base + '/' : '') + 'node_modules/' + name]) {
        found = true;
        break;
      }
      if (!base) break;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
    if (found) continue;
    const short = name.split('/').pop();
    const os = OS.find((o) => short.includes(o));
    const cpuKey = Object.keys(CPU).find((c) => short.includes(c));
    const stub = { version: spec, optional: true };
    if (entry.dev) stub.dev = true;
    if (os) stub.os = [os];
    if (cpuKey) stub.cpu = [CPU[cpuKey]];
    P[(key ? key + '/' : '') + 'node_modules/' + name] = stub;
    added++;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
if (added) console.log(`${file}: ${added} optional platform entries added`);
