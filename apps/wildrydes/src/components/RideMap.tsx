import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { DUWAMISH, GREEN_LAKE, HIGHWAYS, LAKE_WASHINGTON, MERCER_ISLAND, PARKS, PLACES, SHIP_CANAL, SOUND } from './seattle';

export const SEATTLE: [number, number] = [47.6, -122.31];

const WATER = { stroke: false, fillColor: '#a9d8f5', fillOpacity: 1, interactive: false } as const;

/** The offline base layer: water, parks, a street grid, highways and names, drawn as vectors. */
function sketchLayer(): L.LayerGroup {
  const pane = 'sketch';
  const group = L.layerGroup();
  const opts = { pane, interactive: false } as const;
  // The street grid first, so the water drawn over it hides the streets that would be in the lake.
  for (let lat = 47.45; lat <= 47.78; lat += 0.006) {
    group.addLayer(
      L.polyline(
        [
          [lat, -122.45],
          [lat, -122.1],
        ],
        { ...opts, color: '#ffffff', weight: 1.5, opacity: 0.9 },
      ),
    );
  }
  for (let lng = -122.45; lng <= -122.1; lng += 0.009) {
    group.addLayer(
      L.polyline(
        [
          [47.45, lng],
          [47.78, lng],
        ],
        { ...opts, color: '#ffffff', weight: 1.5, opacity: 0.9 },
      ),
    );
  }
  for (const park of PARKS) group.addLayer(L.polygon(park, { ...opts, stroke: false, fillColor: '#bfe3b4', fillOpacity: 1 }));
  group.addLayer(L.polygon(SOUND, { ...opts, ...WATER }));
  group.addLayer(L.polygon(DUWAMISH, { ...opts, ...WATER }));
  group.addLayer(L.polygon(SHIP_CANAL, { ...opts, ...WATER }));
  group.addLayer(L.polygon([LAKE_WASHINGTON, MERCER_ISLAND], { ...opts, ...WATER }));
  group.addLayer(L.polygon(GREEN_LAKE, { ...opts, ...WATER }));
  for (const road of HIGHWAYS) {
    group.addLayer(L.polyline(road.path, { ...opts, color: '#e8a33d', weight: 6, opacity: 1 }));
    group.addLayer(L.polyline(road.path, { ...opts, color: '#ffd27a', weight: 3.5, opacity: 1 }));
  }
  for (const place of PLACES) {
    group.addLayer(
      L.marker(place.at, {
        pane: 'sketchLabels',
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: place.water ? 'map-label water' : 'map-label', html: place.name, iconSize: [140, 18], iconAnchor: [70, 9] }),
      }),
    );
  }
  return group;
}

function pinIcon(): L.DivIcon {
  return L.divIcon({
    className: 'pickup-pin',
    html: '<svg viewBox="0 0 40 52" width="40" height="52" aria-hidden="true"><path d="M20 50 C 8 34, 4 27, 4 19 a 16 16 0 0 1 32 0 c 0 8, -4 15, -16 31 Z" fill="#ff4f9a" stroke="#3b2a4a" stroke-width="2.5"/><circle cx="20" cy="19" r="7" fill="#fff"/><path d="M18 13 L 25 2 L 23 15 Z" fill="#ffc93c" stroke="#3b2a4a" stroke-width="1.5"/></svg>',
    iconSize: [40, 52],
    iconAnchor: [20, 50],
  });
}

export interface RideMapProps {
  tileUrl: string;
  onPickup?: (at: L.LatLng) => void;
}

export function RideMap({ tileUrl, onPickup }: RideMapProps) {
  const element = useRef<HTMLDivElement>(null);
  const [offline, setOffline] = useState(false);
  const pickup = useRef(onPickup);
  pickup.current = onPickup;

  useEffect(() => {
    if (!element.current) return;
    const map = L.map(element.current, { center: SEATTLE, zoom: 12, zoomControl: true, attributionControl: true });
    map.createPane('sketch').style.zIndex = '150';
    map.createPane('sketchLabels').style.zIndex = '160';
    sketchLayer().addTo(map);

    // Street tiles over the sketch. When they cannot load, drop them and say so: the sketch stays.
    let loaded = 0;
    let failed = 0;
    const tiles = L.tileLayer(tileUrl, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    });
    tiles.on('tileload', () => {
      loaded++;
      setOffline(false);
    });
    tiles.on('tileerror', () => {
      failed++;
      if (loaded === 0 && failed >= 2 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        map.attributionControl.addAttribution('Offline sketch map &copy; Wild Rydes');
        setOffline(true);
      }
    });
    tiles.addTo(map);

    let marker: L.Marker | undefined;
    map.on('click', (e: L.LeafletMouseEvent) => {
      if (marker) marker.setLatLng(e.latlng);
      else marker = L.marker(e.latlng, { icon: pinIcon(), title: 'Pickup' }).addTo(map);
      pickup.current?.(e.latlng);
    });

    // The container may change size as the page lays out (phone widths).
    const resize = new ResizeObserver(() => map.invalidateSize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      map.remove();
    };
  }, [tileUrl]);

  return (
    <div className="map-wrap">
      <div ref={element} className="map" data-testid="map" data-offline={offline} aria-label="Map of Seattle" role="region" />
      {offline && (
        <p className="map-offline" data-testid="map-offline">
          Offline map: street tiles are unavailable, showing our sketch of the city.
        </p>
      )}
    </div>
  );
}
