using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lethe.Engine.Modeling;

/// <summary>Element types read and written (compute is always fp32).</summary>
public enum SafetensorsDtype { F32, BF16, F16 }

/// <summary>A tensor to write: its data is produced only when its turn comes, so a save holds one tensor at a time.</summary>
public sealed record TensorToWrite(string Name, long[] Shape, Func<float[]> ReadData)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>One tensor's entry in a safetensors header: dtype, shape, byte range inside the data section.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End);

/// <summary>
/// The safetensors format: u64 little-endian header length N, N bytes of JSON
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the raw little-endian data.
/// </summary>
public sealed class SafetensorsFile
{
    private readonly long _dataStart;

    private SafetensorsFile(string path, long dataStart, IReadOnlyDictionary<string, SafetensorsEntry> entries)
    {
        Path = path;
        _dataStart = dataStart;
        Entries = entries;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>Reads the header of <paramref name="path"/>; the data stays on disk until <see cref="ReadFloats"/>.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: weights file not found", path);
        }
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
        {
            throw new InvalidDataException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        }
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > stream.Length - 8)
        {
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLength} does not fit the file)");
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataLength = stream.Length - 8 - headerLength;
        return new SafetensorsFile(path, 8 + headerLength, ParseHeader(headerBytes, dataLength, path));
    }

    private static Dictionary<string, SafetensorsEntry> ParseHeader(byte[] header, long dataLength, string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(header) as JsonObject ?? throw new InvalidDataException($"{path}: safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: safetensors header is not valid JSON: {e.Message}", e);
        }
        var entries = new Dictionary<string, SafetensorsEntry>();
        foreach (var (name, node) in root.Where(kv => kv.Key != "__metadata__"))
        {
            try
            {
                var dtype = node!["dtype"]!.GetValue<string>() switch
                {
                    "F32" => SafetensorsDtype.F32,
                    "BF16" => SafetensorsDtype.BF16,
                    "F16" => SafetensorsDtype.F16,
                    var other => throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype {other} (F32, BF16, F16 are supported)"),
                };
                var shape = node["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
                var offsets = node["data_offsets"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
                var expectedBytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expectedBytes || offsets[0] < 0 || offsets[1] > dataLength)
                {
                    throw new InvalidDataException($"{path}: tensor '{name}' has data_offsets [{string.Join(",", offsets)}] that do not match its shape or the file size");
                }
                entries[name] = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has a malformed header entry", e);
            }
        }
        return entries;
    }

    public static int ElementSize(SafetensorsDtype dtype) => dtype == SafetensorsDtype.F32 ? 4 : 2;

    /// <summary>Reads one tensor's data converted to fp32 (row-major).</summary>
    public float[] ReadFloats(string name)
    {
        var entry = Entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Path}: no tensor '{name}'");
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(Path))
        {
            stream.Seek(_dataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        return HalfPrecision.ToFloats(bytes, entry.Dtype);
    }

    /// <summary>Writes tensors (fp32 data, row-major) as F32, BF16 or F16, header padded to 8 bytes as HF does.</summary>
    public static void Write(string path, IReadOnlyList<TensorToWrite> tensors, SafetensorsDtype dtype)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var t in tensors)
        {
            var size = t.ElementCount * ElementSize(dtype);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = dtype.ToString(),
                ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, padded);
        stream.Write(lengthBytes);
        stream.Write(headerBytes);
        stream.Write(Enumerable.Repeat((byte)' ', padded - headerBytes.Length).ToArray());
        foreach (var t in tensors)
        {
            var data = t.ReadData();
            if (data.LongLength != t.ElementCount)
            {
                throw new InvalidOperationException($"{path}: tensor '{t.Name}' produced {data.LongLength} values for shape [{string.Join(",", t.Shape)}]");
            }
            stream.Write(dtype switch
            {
                SafetensorsDtype.F32 => MemoryMarshal.AsBytes(data.AsSpan()),
                SafetensorsDtype.BF16 => HalfPrecision.ToBf16Bytes(data),
                _ => HalfPrecision.ToF16Bytes(data),
            });
        }
    }
}

/// <summary>Bit conversions: bf16 = upper 16 bits of fp32 (round to nearest even on write); f16 via System.Half.</summary>
public static class HalfPrecision
{
    public static float[] ToFloats(byte[] bytes, SafetensorsDtype dtype)
    {
        switch (dtype)
        {
            case SafetensorsDtype.F32:
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            case SafetensorsDtype.BF16:
            {
                var halves = MemoryMarshal.Cast<byte, ushort>(bytes);
                var result = new float[halves.Length];
                for (var i = 0; i < halves.Length; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(halves[i] << 16);
                }
                return result;
            }
            default:
            {
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                var result = new float[halves.Length];
                for (var i = 0; i < halves.Length; i++)
                {
                    result[i] = (float)halves[i];
                }
                return result;
            }
        }
    }

    public static ushort ToBf16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static byte[] ToBf16Bytes(float[] data)
    {
        var halves = new ushort[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            halves[i] = ToBf16(data[i]);
        }
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    public static byte[] ToF16Bytes(float[] data)
    {
        var halves = data.Select(v => (Half)v).ToArray();
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }
}
