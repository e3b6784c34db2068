// Promise.withResolvers for Node 20 (it arrived in Node 22): PostGraphile 5 (grafast) calls it.
// Preloaded with `node --import ./bench/peer/with-resolvers.mjs`, before PostGraphile loads.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
