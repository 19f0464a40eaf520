export * from './assistant';
export * from './campaigns';
export * from './catalog';
export * from './common';
export * from './identity';
export * from './leads';
export * from './tracking';
