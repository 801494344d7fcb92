// The TAP-style check harness the end-to-end tests share: `check(name, condition, detail)` prints
// `ok - name` or `not ok - name` with the detail indented, and `finish()` prints the totals and
// exits 1 when anything failed.
let passed = 0;
let failed = 0;

export function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `\n  ${String(detail).replace(/\n/g, '\n  ')}` : ''}`);
  }
  return condition;
}

export function finish() {
  console.log(`# ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
