import { describe, expect, it } from '@jest/globals';
import { swRoute } from './routes';

const ORIGIN = 'https://gridline.example';
const route = (path: string, mode: RequestMode = 'cors', method = 'GET', origin = ORIGIN) =>
  swRoute(new URL(path, origin), ORIGIN, method, mode);

describe('swRoute', () => {
  it('never takes the server paths, even as navigations', () => {
    for (const path of [
      '/api/v1/issues',
      '/api/v1/attachments/3/file',
      '/api/docs',
      '/socket.io/?EIO=4',
      '/health',
      '/metrics',
      '/open311/v2/requests.json',
    ]) {
      expect(route(path)).toBe('network');
      expect(route(path, 'navigate')).toBe('network');
    }
  });

  it('leaves other methods and other origins alone', () => {
    expect(route('/m', 'navigate', 'POST')).toBe('network');
    expect(route('/assets/index-abc.js', 'cors', 'GET', 'https://cdn.example')).toBe('network');
  });

  it('serves page loads as the shell, hashed files cache first, other files from the precache', () => {
    expect(route('/m', 'navigate')).toBe('shell');
    expect(route('/m/issues/12?x=1', 'navigate')).toBe('shell');
    expect(route('/apiary', 'navigate')).toBe('shell');
    expect(route('/assets/index-abc.js')).toBe('asset');
    expect(route('/favicon.svg', 'no-cors')).toBe('static');
  });
});
