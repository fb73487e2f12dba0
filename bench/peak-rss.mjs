import { readFileSync } from 'node:fs';

/** Peak resident set of a running process: the kernel's high-water mark, polled until it exits. */
export function watchPeakRss(pid) {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process has exited
    }
  }, 10);
  return () => {
    clearInterval(timer);
    return peakKb / 1024;
  };
}
