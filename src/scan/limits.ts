/** Bounds that keep a scan's memory and time independent of hostile input. */
export interface ScanLimits {
  /** Largest pickle stream read (bytes); beyond it the scan stops with a limit finding. */
  maxPickleBytes: number;
  /** Emulator stack depth. */
  maxStackDepth: number;
  /** Memo entries kept; further PUTs are remembered as unknown values. */
  maxMemoEntries: number;
  /** Pickles read back to back in one stream. */
  maxPicklesPerStream: number;
  /** Longest string kept as a value (longer ones are skipped, not read). */
  maxStringBytes: number;
  /** Bytes inflated from one archive member. */
  maxMemberBytes: number;
  /** Inflated bytes across one archive. */
  maxArchiveBytes: number;
  /** Largest uncompressed/compressed ratio accepted before reporting a zip bomb. */
  maxCompressionRatio: number;
  /** Members read from one archive. */
  maxArchiveMembers: number;
  /** Archives inside archives. */
  maxNestingDepth: number;
  /** Largest JSON header or config parsed (safetensors, keras config, tokenizer_config). */
  maxJsonBytes: number;
  /** Largest protobuf read for ONNX / SavedModel structure (raw tensor payloads are skipped). */
  maxProtobufBytes: number;
  /** GGUF metadata entries and string length. */
  maxGgufEntries: number;
  maxGgufStringBytes: number;
  /** Bytes of an HDF5 file searched for the Keras `model_config` attribute. */
  maxHdf5SearchBytes: number;
  /** Files visited when walking directories. */
  maxFiles: number;
}

/** Defaults: generous for real checkpoints, bounded for hostile ones. */
export const DEFAULT_LIMITS: Readonly<ScanLimits> = Object.freeze({
  maxPickleBytes: 2 * 1024 ** 3,
  maxStackDepth: 100_000,
  maxMemoEntries: 8_000_000,
  maxPicklesPerStream: 64,
  maxStringBytes: 1024 * 1024,
  maxMemberBytes: 1024 ** 3,
  maxArchiveBytes: 4 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxArchiveMembers: 100_000,
  maxNestingDepth: 4,
  maxJsonBytes: 100 * 1024 * 1024,
  maxProtobufBytes: 512 * 1024 * 1024,
  maxGgufEntries: 1_000_000,
  maxGgufStringBytes: 16 * 1024 * 1024,
  maxHdf5SearchBytes: 256 * 1024 * 1024,
  maxFiles: 1_000_000,
});
