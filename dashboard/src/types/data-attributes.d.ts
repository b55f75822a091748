/**
 * `data-*` attributes in templates (state for styling and for the browser tests, e.g.
 * `data-version` on the wall). strictTemplates rejects attributes the DOM types do not list.
 */
export {};

declare module '@vue/runtime-dom' {
  interface HTMLAttributes {
    [key: `data-${string}`]: unknown;
  }
}
