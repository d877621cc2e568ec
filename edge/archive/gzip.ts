/** R2's put needs a known length, so an object is compressed into memory first (a part of
 * PART_EVENTS realistic events is about 15 MB gzip). Chunks are fed as they are produced, so the
 * uncompressed text of a whole part is never held at once. */
export async function gzipChunks(chunks: AsyncIterable<string>): Promise<Uint8Array> {
  const stream = new CompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const compressed = new Response(stream.readable).arrayBuffer();
  const encoder = new TextEncoder();
  for await (const chunk of chunks) await writer.write(encoder.encode(chunk));
  await writer.close();
  return new Uint8Array(await compressed);
}

export async function gunzipText(body: ReadableStream | ArrayBuffer): Promise<string> {
  const source: ReadableStream = body instanceof ReadableStream ? body : new Response(body).body!;
  return new Response(source.pipeThrough(new DecompressionStream('gzip'))).text();
}
