export * from './types';
export * from './regions';
export * from './validate';
export * from './chain';
export * from './provider';
export * from './load';
export * from './sample';
export * from './write';
