// Tests here boot TCG guests and one restarts libvirtd: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
