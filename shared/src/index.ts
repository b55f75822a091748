export * from './roles';
export * from './admin';
export * from './workflow';
export * from './errors';
export * from './api';
export * from './events';
export * from './live';
export * from './sla';
