// libtorch already uses every core inside one test; running collections side by side only adds contention and
// garbage-collection pressure on TorchSharp's temporary scalars (see Lethe.Engine.Modeling.KeptScalars).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
