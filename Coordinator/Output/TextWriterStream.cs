using System.Text;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> as it comes, so that the
/// JSON and XML serializers, which write bytes, stream a report into any writer a buffer at a time.
/// Built whole first, a /16's JSON report held the document twice (its bytes and its string) and
/// the serializer's grown buffers: 135 MB of the coordinator's heap for 65,536 hosts (docs/benchmarks.md).
/// </summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    // Keeps a character split across two writes until its last byte comes; malformed bytes become U+FFFD, as Encoding.UTF8.GetString does.
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var count = _decoder.GetCharCount(buffer, flush: false);
        if (count > _chars.Length)
        {
            _chars = new char[count];
        }
        var written = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, written);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
