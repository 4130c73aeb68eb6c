#!/usr/bin/env node
// The committed lockfile must install on every platform our users have, as committed. For each
// target this runs `npm ci --ignore-scripts --os --cpu` into a scratch folder (npm's own way of
// installing for another platform) and asserts that every platform package the lockfile holds for
// that target was installed, and that swc (jest and `nest start` need it) has its native binary.
// Usage: node .ci/check-platforms.cjs [os-cpu ...]   (default: darwin-arm64 win32-x64)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['darwin-arm64', 'win32-x64'];
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// npm's own reading of an `os`/`cpu` list: names, or `!name` exclusions.
const allows = (list, value) => {
  if (!list || list.length === 0) return true;
  const denied = list.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const wanted = list.filter((v) => !v.startsWith('!'));
  return !denied.includes(value) && (wanted.length === 0 || wanted.includes(value));
};

let failures = 0;
for (const target of targets) {
  const [platform, arch] = target.split('-');
  const expected = Object.entries(lock.packages).filter(
    ([key, entry]) =>
      key.startsWith('node_modules/') &&
      entry.optional &&
      (entry.os || entry.cpu) &&
      allows(entry.os, platform) &&
      allows(entry.cpu, arch),
  );
  const swc = `node_modules/@swc/core-${platform}-${arch}${platform === 'win32' ? '-msvc' : ''}`;
  if (!expected.some(([key]) => key === swc)) {
    console.error(`${target}: the lockfile has no ${swc.slice('node_modules/'.length)}`);
    failures++;
  }
  // An entry written by hand (no integrity) is not what the registry serves: npm cannot check it.
  for (const [key] of expected.filter(([, entry]) => !entry.integrity)) {
    console.error(`${target}: ${key} has no integrity in the lockfile`);
    failures++;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-${target}-`));
  try {
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    execFileSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', `--os=${platform}`, `--cpu=${arch}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const missing = expected.filter(([key]) => !fs.existsSync(path.join(dir, key, 'package.json')));
    for (const [key] of missing) console.error(`${target}: npm ci did not install ${key}`);
    failures += missing.length;
    if (!missing.length) console.log(`${target}: ${expected.length} platform packages installed from the lockfile`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failures ? 1 : 0);
