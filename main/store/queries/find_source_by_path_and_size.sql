SELECT source_id FROM sources WHERE path = $path AND bytes = $bytes;
