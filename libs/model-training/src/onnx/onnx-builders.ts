import { onnx } from 'onnx-proto';

// Thin helpers over the protobufjs ONNX types so the graph file reads like the formula it builds.

export type Dimension = string | number;
type ElementType = onnx.TensorProto.DataType.FLOAT | onnx.TensorProto.DataType.INT64;

export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT64 = onnx.TensorProto.DataType.INT64;

/** A graph input or output: symbolic dims are strings (B, L, N), fixed dims numbers (D). */
export function tensorValueInfo(
  name: string,
  elementType: ElementType,
  dims: readonly Dimension[],
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: elementType,
        shape: {
          dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })),
        },
      },
    },
  };
}

/** A float32 initializer stored as little-endian raw bytes (the compact, exact encoding). */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>,
): onnx.ITensorProto {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i] ?? 0, i * 4);
  return { name, dims: [...dims], dataType: FLOAT, rawData: bytes };
}

export function int64Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): onnx.ITensorProto {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((value, i) => bytes.writeBigInt64LE(BigInt(value), i * 8));
  return { name, dims: [...dims], dataType: INT64, rawData: bytes };
}

export type AttributeValue = number | readonly number[];

/** A node; integer attributes become INT / INTS (all this graph needs). */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: Record<string, AttributeValue> = {},
): onnx.INodeProto {
  return {
    opType,
    name: outputs.join('+'),
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attributes).map(([name, value]) =>
      typeof value === 'number'
        ? { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
        : { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...value] },
    ),
  };
}
