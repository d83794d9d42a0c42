export * from './contract/model-contract';
export * from './contract/model-runner';
