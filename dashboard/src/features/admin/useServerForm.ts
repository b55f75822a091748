import { computed, ref } from 'vue';
import { fieldLabel, placeError } from '@/i18n/errors';

/**
 * A form talking to the server: `submit` runs the request, and on failure keeps everything the
 * person typed (the form's own refs are never touched here) and places the refusal's words (i18n/errors.ts)
 * next to the field it names, or above the form when the form has no such field.
 */
export function useServerForm(formFields: readonly string[] = []) {
  const busy = ref(false);
  const general = ref<string | null>(null);
  const fields = ref<Record<string, string>>({});
  const saved = ref(false);

  function clear(): void {
    general.value = null;
    fields.value = {};
    saved.value = false;
  }

  async function submit<T>(request: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    clear();
    try {
      const result = await request();
      saved.value = true;
      return result;
    } catch (err) {
      const placed = placeError(err);
      const shown = Object.entries(placed.fields).filter(([name]) => formFields.includes(name));
      const elsewhere = Object.entries(placed.fields).filter(([name]) => !formFields.includes(name));
      general.value =
        placed.general ?? (elsewhere.length ? elsewhere.map(([name, message]) => `${fieldLabel(name)}: ${message}`).join('; ') : null);
      fields.value = Object.fromEntries(shown);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  const fieldError = (name: string): string | undefined => fields.value[name];
  const hasErrors = computed(() => general.value !== null || Object.keys(fields.value).length > 0);

  return { busy, general, fields, saved, hasErrors, submit, clear, fieldError };
}
