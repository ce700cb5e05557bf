using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// The services Spectre.Console.Cli needs plus ours (the experiments of the host, the console).
/// Commands are built with those as constructor arguments. A service may be registered several
/// times; <c>IEnumerable&lt;T&gt;</c> resolves to all of them and <c>T</c> to the last.
/// </summary>
internal sealed class HostTypeRegistrar : ITypeRegistrar, ITypeResolver
{
    private readonly Dictionary<Type, List<Func<object>>> _factories = [];

    public void Register(Type service, Type implementation) => Add(service, () => Create(implementation));

    public void RegisterInstance(Type service, object implementation) => Add(service, () => implementation);

    public void RegisterLazy(Type service, Func<object> factory)
    {
        Lazy<object> lazy = new(factory);
        Add(service, () => lazy.Value);
    }

    public ITypeResolver Build() => this;

    public object? Resolve(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        if (_factories.TryGetValue(type, out List<Func<object>>? factories))
        {
            return factories[^1]();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            Type element = type.GetGenericArguments()[0];
            List<Func<object>> all = _factories.TryGetValue(element, out List<Func<object>>? found) ? found : [];
            Array items = Array.CreateInstance(element, all.Count);
            for (int i = 0; i < all.Count; i++)
            {
                items.SetValue(all[i](), i);
            }

            return items;
        }

        return type.IsAbstract || type.IsInterface ? null : Create(type);
    }

    private void Add(Type service, Func<object> factory)
    {
        if (!_factories.TryGetValue(service, out List<Func<object>>? list))
        {
            _factories[service] = list = [];
        }

        list.Add(factory);
    }

    private object Create(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        object?[] arguments = [.. constructor.GetParameters().Select(p => Resolve(p.ParameterType))];
        return constructor.Invoke(arguments);
    }
}
