/** The one contract between the browser, the edge and marketers. The SDK imports types only. */
export * from './limits';
export * from './primitives';
export * from './event';
export * from './shop-events';
export * from './batch';
export * from './site';
export * from './decision';
export * from './widget-props';
export * from './audience';
export * from './campaign';
export * from './config';
export * from './catalog';
export * from './recommendations';
export * from './webhooks';
export * from './report';
export * from './handoff';
export * from './accepted-event';
