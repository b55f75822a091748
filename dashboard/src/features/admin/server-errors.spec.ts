import { describe, expect, it } from '@jest/globals';
import { placeServerError } from './server-errors';

describe('placeServerError', () => {
  it('puts an error that names its field next to that field, with the server message', () => {
    const err = { status: 409, code: 'CODE_TAKEN', message: 'Another category already has the code HJ01', details: { field: 'code' } };
    expect(placeServerError(err)).toEqual({ general: null, fields: { code: 'Another category already has the code HJ01' } });
  });

  it('spreads VALIDATION_FAILED over its fields', () => {
    const err = {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'name: …; password: …',
      details: {
        fields: [
          { field: 'name', problems: ['name must be longer than or equal to 1 characters'] },
          { field: 'password', problems: ['a', 'b'] },
        ],
      },
    };
    expect(placeServerError(err).fields).toEqual({ name: 'name must be longer than or equal to 1 characters', password: 'a; b' });
  });

  it('shows anything else above the form', () => {
    expect(placeServerError({ status: 409, code: 'REGION_IN_USE', message: 'Region D01 is still in use' })).toEqual({
      general: 'Region D01 is still in use',
      fields: {},
    });
    expect(placeServerError(new Error('boom')).general).toBeTruthy();
  });
});
