// One data converter for the client (API, jobs) and the worker: encrypted payloads and failures.
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { parseMasterKeys, TreatmentKeyCodec } from './codec';

let codec: TreatmentKeyCodec | undefined;

/** One codec per process, so that gallring's shredding is seen by every user of its cache. */
export function payloadCodec(config: Config): TreatmentKeyCodec {
  codec ??= new TreatmentKeyCodec(parseMasterKeys(config.payloadKeys));
  return codec;
}

export function dataConverter(config: Config): DataConverter {
  return {
    payloadCodecs: [payloadCodec(config)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
