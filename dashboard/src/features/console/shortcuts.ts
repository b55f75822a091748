import { onBeforeUnmount, onMounted } from 'vue';
import type { MessageKey } from '@/i18n';

/** The console's keys: one table, for the handler and for the help overlay. */
export const SHORTCUTS = [
  { key: 'j', labelKey: 'console.keys.next' },
  { key: 'k', labelKey: 'console.keys.prev' },
  { key: 'x', labelKey: 'console.keys.select' },
  { key: 'a', labelKey: 'console.keys.accept' },
  { key: 'd', labelKey: 'console.keys.dispatch' },
  { key: 'r', labelKey: 'console.keys.reject' },
  { key: 'm', labelKey: 'console.keys.merge' },
  { key: 'v', labelKey: 'console.keys.verify' },
  { key: 's', labelKey: 'console.keys.supervise' },
  { key: 'b', labelKey: 'console.keys.bulk' },
  { key: 'n', labelKey: 'console.keys.hotline' },
  { key: '1–9', labelKey: 'console.keys.queue' },
  { key: '/', labelKey: 'console.keys.search' },
  { key: '?', labelKey: 'console.keys.help' },
  { key: 'Esc', labelKey: 'console.keys.escape' },
] as const satisfies readonly { key: string; labelKey: MessageKey }[];

/** Calls `handler` for plain key presses outside text fields (and Escape everywhere). */
export function useShortcuts(handler: (key: string, event: KeyboardEvent) => boolean | void) {
  function onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    const typing = target?.closest('input, textarea, select, [contenteditable="true"]') !== null && target !== null;
    if (typing && event.key !== 'Escape') return;
    if (handler(event.key, event) === true) event.preventDefault();
  }
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
