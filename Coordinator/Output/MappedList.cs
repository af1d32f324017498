using System.Collections;

namespace PortScan.Coordinator.Output;

/// <summary>
/// A read-only list whose items are made from <paramref name="source"/>'s as they are read, and kept
/// nowhere: a report document lists every host without holding every host's document at once.
/// </summary>
internal sealed class MappedList<TSource, T>(IReadOnlyList<TSource> source, Func<TSource, T> map) : IReadOnlyList<T>
{
    public T this[int index] => map(source[index]);

    public int Count => source.Count;

    public IEnumerator<T> GetEnumerator()
    {
        foreach (var item in source)
        {
            yield return map(item);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
