/** The NOTIFY channel of configuration caches (topic names). */
export const CONFIG_CHANNEL = 'gridline_config';
