import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '../ui/form-error.js';
import { Notice } from '../ui/notice.js';
import { PeopleTables } from './people-tables.js';
import { DepartmentsTable, RoomsTable, RoomTypesTable } from './places-tables.js';
import { referenceQueries } from './queries.js';
import './reference-data.css';

/** Admin → Reference data: what bills are priced by and beds and appointments are built on. */
export function ReferenceDataScreen() {
  const places = useQuery(referenceQueries.places());
  const [notice, setNotice] = useState('');
  return (
    <div className="reference-data">
      <Notice>{notice}</Notice>
      <FormError error={places.error} />
      {places.data && (
        <>
          <RoomTypesTable roomTypes={places.data.roomTypes} onSaved={setNotice} />
          <DepartmentsTable departments={places.data.departments} onSaved={setNotice} />
          <RoomsTable
            rooms={places.data.rooms}
            roomTypes={places.data.roomTypes}
            departments={places.data.departments}
            onSaved={setNotice}
          />
        </>
      )}
      <PeopleTables departments={places.data?.departments ?? []} onSaved={setNotice} />
    </div>
  );
}
