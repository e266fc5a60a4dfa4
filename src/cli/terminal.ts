/**
 * Text from logs and from the model can hold terminal escape sequences (a log line that clears
 * the screen or rewrites the title). Everything printed in human mode passes through here.
 */
export function sanitizeForTerminal(text: string): string {
  // ESC-introduced sequences (CSI, OSC, single-char), then any other C0/C1 control except tab and newline.
  /* eslint-disable no-control-regex -- matching control characters is this function's job */
  return text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '')
    .replace(/\u001b[@-_]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  /* eslint-enable no-control-regex -- only the sanitizer above */
}

export interface Style {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export function createStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { dim: wrap(2, 22), bold: wrap(1, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}
