export * from './moto';
export * from './org';
export * from './capture';
export * from './generated-org';
