// Preloaded into a CLI process by test/node-version-notice.test.ts: a warning that is not the AWS SDK's, which must still be printed.
process.nextTick(() => process.emitWarning('a warning from elsewhere'));
