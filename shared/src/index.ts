export * from './roles';
export * from './workflow';
export * from './errors';
export * from './api';
export * from './events';
export * from './live';
export * from './workbench';
export * from './sla';
